package dev.virgo.api.heap.sync;

import dev.virgo.dsm.member.DsmMember;
import dev.virgo.dsm.member.ThreeMemberTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedAtomicLongTest extends ThreeMemberTest
{
    private static final int THREADS_PER_MEMBER = 2;
    private static final int INCREMENTS_PER_THREAD = 1_000;

    @Test
    void shouldCountExactlyWhenThreadsOnThreeMembersIncrement() throws Exception
    {
        final long address = SharedAtomicLong.create(a).address();
        final List<Future<Long>> workers = new ArrayList<>();
        for (final DsmMember member : cluster.members)
        {
            final SharedAtomicLong counter = SharedAtomicLong.at(member, address);
            for (int t = 0; t < THREADS_PER_MEMBER; t++)
            {
                workers.add(start(() ->
                {
                    long maxSeen = 0;
                    for (int i = 0; i < INCREMENTS_PER_THREAD; i++)
                    {
                        final long now = (i % 2 == 0) ? counter.incrementAndGet() : counter.getAndAdd(1) + 1;
                        assertTrue(now > maxSeen, "values one thread sees only grow");
                        maxSeen = now;
                    }
                    return maxSeen;
                }));
            }
        }
        results(workers);

        final long expected = (long)cluster.members.length * THREADS_PER_MEMBER * INCREMENTS_PER_THREAD;
        for (final DsmMember member : cluster.members)
        {
            assertEquals(expected, SharedAtomicLong.at(member, address).get(), "member " + member.memberId());
        }
    }

    @Test
    void shouldCompareAndSetOnlyFromTheExpectedValue()
    {
        final SharedAtomicLong onA = SharedAtomicLong.create(a);
        final SharedAtomicLong onB = SharedAtomicLong.at(b, onA.address());
        onA.set(5);
        assertFalse(onB.compareAndSet(4, 9));
        assertTrue(onB.compareAndSet(5, 9));
        assertEquals(9, onA.get());
        assertEquals(12, onA.addAndGet(3));
        assertEquals(12, onB.getAndSet(-1));
        assertEquals(-1, SharedAtomicLong.at(c, onA.address()).get());
    }

    @Test
    void shouldRejectANullOrUnalignedAddress()
    {
        final long address = SharedAtomicLong.create(a).address();
        assertThrows(IllegalArgumentException.class, () -> SharedAtomicLong.at(b, 0));
        assertThrows(IllegalArgumentException.class, () -> SharedAtomicLong.at(b, address + 4));
    }
}
