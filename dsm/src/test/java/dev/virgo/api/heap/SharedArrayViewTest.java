package dev.virgo.api.heap;

import dev.virgo.dsm.member.Members;
import dev.virgo.dsm.member.DsmMember;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedArrayViewTest
{
    private static Members cluster;
    private static DsmMember a;
    private static DsmMember b;
    private static DsmMember c;

    @BeforeAll
    static void startMembers()
    {
        cluster = new Members(3, 4096);
        a = cluster.members[0];
        b = cluster.members[1];
        c = cluster.members[2];
    }

    @AfterAll
    static void stopMembers()
    {
        cluster.close();
    }

    @Test
    void shouldSeeOneLongArrayFromEveryMemberGivenItsAddressAndLength()
    {
        final SharedLongArray onA = SharedLongArray.allocate(a, 1000);
        final SharedLongArray onB = SharedLongArray.at(b, onA.address(), onA.length());
        for (int i = 0; i < onA.length(); i++)
        {
            assertEquals(0, onB.get(i), "allocated zeroed");
        }
        onB.set(999, -7);
        onB.set(512, 1L << 40);
        assertEquals(-7, onA.get(999));
        assertEquals(1L << 40, c.getLong(onA.address() + 8 * 512), "element i at address + 8 * i");
        assertEquals(-7, SharedLongArray.at(c, onA.address(), 1000).getAndAdd(999, 10));
        assertEquals(3, onA.get(999));
        assertTrue(onB.compareAndSet(999, 3, 4));
        assertFalse(onA.compareAndSet(999, 3, 5));
        assertEquals(4, onA.get(999));
    }

    @Test
    void shouldSeeOneIntArrayFromEveryMember()
    {
        final SharedIntArray onA = SharedIntArray.allocate(a, 2000);
        final SharedIntArray onC = SharedIntArray.at(c, onA.address(), 2000);
        onC.set(1500, 42);
        assertEquals(42, b.getInt(onA.address() + 4 * 1500), "element i at address + 4 * i");
        assertEquals(42, onA.getAndAdd(1500, -2));
        assertTrue(onC.compareAndSet(1500, 40, 9));
        assertFalse(onA.compareAndSet(1500, 40, 8));
        assertEquals(9, onA.get(1500));
        assertEquals(0, onA.get(1499));
    }

    @Test
    void shouldSeeOneDoubleArrayFromEveryMember()
    {
        final SharedDoubleArray onB = SharedDoubleArray.allocate(b, 10);
        final SharedDoubleArray onA = SharedDoubleArray.at(a, onB.address(), 10);
        assertEquals(0.0, onA.get(3));
        onA.set(3, Math.PI);
        onA.set(9, Double.NaN);
        assertEquals(Math.PI, onB.get(3));
        assertTrue(Double.isNaN(onB.get(9)));
        assertEquals(Math.PI, c.getDouble(onB.address() + 24));
    }

    @Test
    void shouldSeeOneByteArrayFromEveryMemberAndCopyRanges()
    {
        final SharedByteArray onA = SharedByteArray.allocate(a, 10_000);
        final SharedByteArray onB = SharedByteArray.at(b, onA.address() + 1, 9_999);
        onB.set(0, (byte)-1);
        assertEquals((byte)-1, onA.get(1));
        final byte[] source = new byte[6_000];
        for (int i = 0; i < source.length; i++)
        {
            source[i] = (byte)i;
        }
        onA.set(3_000, source, 0, source.length);
        final byte[] copy = new byte[6_002];
        SharedByteArray.at(c, onA.address(), 10_000).get(3_000, copy, 1, 6_000);
        final byte[] expected = new byte[6_002];
        System.arraycopy(source, 0, expected, 1, 6_000);
        assertArrayEquals(expected, copy, "a range spanning pages");
    }

    @Test
    void shouldRejectAnIndexOutOfRangeNamingIndexAndLength()
    {
        final SharedLongArray longs = SharedLongArray.allocate(a, 4);
        final SharedIntArray ints = SharedIntArray.allocate(a, 4);
        final SharedDoubleArray doubles = SharedDoubleArray.allocate(a, 4);
        final SharedByteArray bytes = SharedByteArray.allocate(a, 4);

        assertOutOfBounds(() -> longs.get(4), "4", "4");
        assertOutOfBounds(() -> longs.set(-1, 1), "-1", "4");
        assertOutOfBounds(() -> longs.getAndAdd(4, 1), "4", "4");
        assertOutOfBounds(() -> longs.compareAndSet(7, 0, 1), "7", "4");
        assertOutOfBounds(() -> ints.get(-3), "-3", "4");
        assertOutOfBounds(() -> ints.set(4, 1), "4", "4");
        assertOutOfBounds(() -> ints.getAndAdd(100, 1), "100", "4");
        assertOutOfBounds(() -> ints.compareAndSet(4, 0, 1), "4", "4");
        assertOutOfBounds(() -> doubles.get(4), "4", "4");
        assertOutOfBounds(() -> doubles.set(Integer.MIN_VALUE, 1), String.valueOf(Integer.MIN_VALUE), "4");
        assertOutOfBounds(() -> bytes.get(4), "4", "4");
        assertOutOfBounds(() -> bytes.set(5, (byte)1), "5", "4");
        assertOutOfBounds(() -> bytes.get(2, new byte[8], 0, 3), "2", "4");
        assertThrows(IndexOutOfBoundsException.class, () -> bytes.set(0, new byte[2], 0, 3), "source too short");

        // The memory past the view's end was not touched by the refused writes.
        assertEquals(0, longs.get(3));
        assertEquals(0, ints.get(3));
        assertEquals(0, bytes.get(3));
        final SharedLongArray empty = SharedLongArray.allocate(a, 0);
        assertEquals(0, empty.length());
        assertOutOfBounds(() -> empty.get(0), "0", "0");
    }

    @Test
    void shouldRejectViewsOfNullUnalignedOrNegativeMemory()
    {
        final long address = a.malloc(64);
        assertThrows(IllegalArgumentException.class, () -> SharedLongArray.at(b, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> SharedLongArray.at(b, address + 4, 1));
        assertThrows(IllegalArgumentException.class, () -> SharedIntArray.at(b, address + 2, 1));
        assertThrows(IllegalArgumentException.class, () -> SharedDoubleArray.at(b, address + 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SharedByteArray.at(b, address, -1));
        assertThrows(IllegalArgumentException.class, () -> SharedLongArray.allocate(a, -1));
        assertEquals(7, SharedByteArray.at(b, address + 3, 7).length(), "bytes need no alignment");
    }

    private static void assertOutOfBounds(final Executable access, final String index, final String length)
    {
        final IndexOutOfBoundsException ex = assertThrows(IndexOutOfBoundsException.class, access);
        assertTrue(ex.getMessage().contains(index) && ex.getMessage().contains("length " + length),
            "names index " + index + " and length " + length + ": " + ex.getMessage());
    }
}
