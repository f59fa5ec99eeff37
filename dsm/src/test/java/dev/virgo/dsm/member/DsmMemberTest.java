package dev.virgo.dsm.member;

import dev.virgo.api.heap.SharedMemoryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coherence protocol between three members, over real Aeron IPC. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DsmMemberTest extends ThreeMemberTest
{
    private static final int PAGE = 4096;

    @Test
    void shouldReadOnEveryMemberWhatOneMemberWrote()
    {
        final long address = a.malloc(64);
        assertEquals(0, b.getLong(address), "new memory is zero");
        c.putLong(address + 8, 0x1234_5678_9ABCL);
        c.putInt(address + 16, 42);
        c.putDouble(address + 24, Math.PI);
        for (final DsmMember member : cluster.members)
        {
            assertEquals(0x1234_5678_9ABCL, member.getLong(address + 8));
            assertEquals(42, member.getInt(address + 16));
            assertEquals(Math.PI, member.getDouble(address + 24));
        }
    }

    @Test
    void shouldInvalidateEveryReadCopyBeforeAWriteProceeds()
    {
        final long address = a.malloc(8);
        assertEquals(0, b.getLong(address));
        assertEquals(0, c.getLong(address));
        a.putLong(address, 42);
        assertEquals(42, b.getLong(address), "b's read copy was invalidated");
        assertEquals(42, c.getLong(address), "c's read copy was invalidated");
        b.putLong(address, 7);
        assertEquals(7, a.getLong(address), "the home fetched the owner's data");
        assertEquals(7, c.getLong(address));
        final long hits = c.requestsSent();
        assertEquals(7, c.getLong(address));
        assertEquals(hits, c.requestsSent(), "a read of a page already held sends nothing");
    }

    @Test
    void shouldCountExactlyWithGetAndAddFromThreeMembers() throws Exception
    {
        final long counter = b.malloc(8);
        final int perThread = 2_000;
        final List<Future<?>> done = new ArrayList<>();
        for (final DsmMember member : cluster.members)
        {
            for (int t = 0; t < 2; t++)
            {
                done.add(threads.submit(() ->
                {
                    for (int i = 0; i < perThread; i++)
                    {
                        member.getAndAddLong(counter, 1);
                    }
                }));
            }
        }
        for (final Future<?> future : done)
        {
            future.get(60, TimeUnit.SECONDS);
        }
        assertEquals(3L * 2 * perThread, c.getLong(counter));
    }

    @Test
    void shouldKeepCompareAndSetAtomic() throws Exception
    {
        final long counter = c.malloc(8);
        final int perThread = 1_000;
        final List<Future<?>> done = new ArrayList<>();
        for (final DsmMember member : cluster.members)
        {
            done.add(threads.submit(() ->
            {
                for (int i = 0; i < perThread; i++)
                {
                    long seen;
                    do
                    {
                        seen = member.getLong(counter);
                    }
                    while (!member.compareAndSetLong(counter, seen, seen + 1));
                }
            }));
        }
        for (final Future<?> future : done)
        {
            future.get(60, TimeUnit.SECONDS);
        }
        assertEquals(3L * perThread, a.getLong(counter));
    }

    /** Message passing: data=1; flag=1 on one member; a reader that sees flag==1 must see data==1. */
    @Test
    void shouldNeverShowMessagePassingOutcomeForbiddenBySequentialConsistency() throws Exception
    {
        final int iterations = 10_000;
        final CyclicBarrier start = new CyclicBarrier(2);
        for (int i = 0; i < iterations; i++)
        {
            final long data = a.malloc(8);
            final long flag = c.malloc(8);
            final Future<?> writer = threads.submit(() ->
            {
                start.await();
                a.putLong(data, 1);
                a.putLong(flag, 1);
                return null;
            });
            final Future<long[]> reader = threads.submit(() ->
            {
                start.await();
                final long seenFlag = b.getLong(flag);
                final long seenData = b.getLong(data);
                return new long[] {seenFlag, seenData};
            });
            writer.get(10, TimeUnit.SECONDS);
            final long[] seen = reader.get(10, TimeUnit.SECONDS);
            assertFalse(seen[0] == 1 && seen[1] == 0, "iteration " + i + ": saw flag 1 but data 0");
            a.free(data);
            c.free(flag);
        }
    }

    /** Store buffering: x=1; r0=y on one member, y=1; r1=x on another: r0 == r1 == 0 is forbidden. */
    @Test
    void shouldNeverShowStoreBufferingOutcomeForbiddenBySequentialConsistency() throws Exception
    {
        final int iterations = 10_000;
        final CyclicBarrier start = new CyclicBarrier(2);
        int bothZero = 0;
        for (int i = 0; i < iterations; i++)
        {
            final long x = a.malloc(8);
            final long y = b.malloc(8);
            final Future<Long> first = threads.submit(() ->
            {
                start.await();
                a.putLong(x, 1);
                return a.getLong(y);
            });
            final Future<Long> second = threads.submit(() ->
            {
                start.await();
                c.putLong(y, 1);
                return c.getLong(x);
            });
            if (first.get(10, TimeUnit.SECONDS) == 0 && second.get(10, TimeUnit.SECONDS) == 0)
            {
                bothZero++;
            }
            a.free(x);
            b.free(y);
        }
        assertEquals(0, bothZero, "r0 == r1 == 0 observed");
    }

    @Test
    void shouldSeeARemotePutPromptlyWhileSpinningOnAPlainGet() throws Exception
    {
        final long flag = a.malloc(8);
        final Future<Long> spinner = threads.submit(() ->
        {
            long spins = 0;
            while (b.getLong(flag) == 0)
            {
                spins++;
            }
            return spins;
        });
        c.putLong(flag, 1);
        spinner.get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldCombineConcurrentMissesOnOnePageIntoOneRequest() throws Exception
    {
        final long address = a.malloc(8);
        a.putLong(address, 5);
        final long before = b.requestsSent();
        final CyclicBarrier start = new CyclicBarrier(8);
        final List<Future<Long>> reads = new ArrayList<>();
        for (int t = 0; t < 8; t++)
        {
            reads.add(threads.submit(() ->
            {
                start.await();
                return b.getLong(address);
            }));
        }
        for (final Future<Long> read : reads)
        {
            assertEquals(5, read.get(10, TimeUnit.SECONDS));
        }
        assertEquals(1, b.requestsSent() - before, "eight threads missing on one page sent one request");
    }

    @Test
    void shouldCopyByteRangesAcrossPages()
    {
        final long address = b.malloc(3 * PAGE);
        final byte[] written = new byte[2 * PAGE + 100];
        for (int i = 0; i < written.length; i++)
        {
            written[i] = (byte)(i * 31);
        }
        a.putBytes(address + PAGE / 2, written, 0, written.length);
        final byte[] read = new byte[written.length];
        c.getBytes(address + PAGE / 2, read, 0, read.length);
        assertArrayEquals(written, read);
        c.putLong(address + PAGE - 4, 0x0102_0304_0506_0708L);
        assertEquals(0x0102_0304_0506_0708L, a.getLong(address + PAGE - 4), "unaligned across a page boundary");
    }

    @Test
    void shouldRefuseMisuseWithAClearException()
    {
        final long address = a.malloc(16);
        final SharedMemoryException outOfBounds = assertThrows(SharedMemoryException.class,
            () -> b.getLong(address + 16));
        assertTrue(outOfBounds.getMessage().contains("outside its allocation"), outOfBounds.getMessage());

        final SharedMemoryException unaligned = assertThrows(SharedMemoryException.class,
            () -> c.compareAndSetLong(address + 4, 0, 1));
        assertTrue(unaligned.getMessage().contains("not aligned"), unaligned.getMessage());

        b.putLong(address, 1);
        a.free(address);
        final SharedMemoryException afterFree = assertThrows(SharedMemoryException.class,
            () -> c.getLong(address));
        assertTrue(afterFree.getMessage().contains("not allocated"), afterFree.getMessage());
        assertThrows(SharedMemoryException.class, () -> b.putLong(address, 2), "b's copy was invalidated by free");

        final SharedMemoryException doubleFree = assertThrows(SharedMemoryException.class, () -> c.free(address));
        assertTrue(doubleFree.getMessage().contains("not the start of an allocation"), doubleFree.getMessage());
        assertThrows(SharedMemoryException.class, () -> a.malloc(0));
    }

    @Test
    void shouldReuseFreedPagesZeroed()
    {
        final long first = a.malloc(PAGE);
        b.putLong(first, 99);
        a.free(first);
        final long second = a.malloc(PAGE);
        assertEquals(first, second, "the freed run is reused");
        assertEquals(0, c.getLong(second), "and handed out zeroed");
        assertEquals(0, Arrays.stream(new long[] {b.getLong(second)}).sum());
    }
}
