package dev.virgo.api.heap.sync;

import dev.virgo.dsm.member.DsmMember;
import dev.virgo.dsm.member.ThreeMemberTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedCountDownLatchTest extends ThreeMemberTest
{
    @Test
    void shouldReleaseWaitersWhenOtherMembersCountDown() throws Exception
    {
        final SharedCountDownLatch onA = SharedCountDownLatch.create(a, 4);
        final long data = a.malloc(16);
        final List<Future<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < 2; i++)
        {
            waiters.add(start(() -> onA.await(WAIT_S, TimeUnit.SECONDS) && a.getLong(data) == 1 &&
                a.getLong(data + 8) == 2));
        }

        final SharedCountDownLatch onB = SharedCountDownLatch.at(b, onA.address());
        final SharedCountDownLatch onC = SharedCountDownLatch.at(c, onA.address());
        result(start(() ->
        {
            b.putLong(data, 1);
            onB.countDown();
            onB.countDown();
            return null;
        }));
        assertEquals(2, onA.getCount());
        assertFalse(onA.await(10, TimeUnit.MILLISECONDS), "still closed at 2");
        result(start(() ->
        {
            c.putLong(data + 8, 2);
            onC.countDown();
            onC.countDown();
            onC.countDown(); // past zero: stays at zero
            return null;
        }));

        for (final boolean released : results(waiters))
        {
            assertTrue(released, "released, and saw what was written before the count-downs");
        }
        for (final DsmMember member : cluster.members)
        {
            assertEquals(0, SharedCountDownLatch.at(member, onA.address()).getCount());
        }
    }

    @Test
    void shouldTimeOutWhileCountsRemain() throws Exception
    {
        final SharedCountDownLatch onA = SharedCountDownLatch.create(a, 1);
        final SharedCountDownLatch onB = SharedCountDownLatch.at(b, onA.address());
        final long startNs = System.nanoTime();
        assertFalse(result(start(() -> onB.await(50, TimeUnit.MILLISECONDS))));
        assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(50));
        onA.countDown();
        assertTrue(result(start(() -> onB.await(WAIT_S, TimeUnit.SECONDS))));
    }

    @Test
    void shouldCountDownExactlyFromManyThreadsOnThreeMembers() throws Exception
    {
        final int perThread = 100;
        final SharedCountDownLatch onA = SharedCountDownLatch.create(a, 6L * perThread + 1);
        final List<Future<Void>> workers = new ArrayList<>();
        for (final DsmMember member : cluster.members)
        {
            final SharedCountDownLatch latch = SharedCountDownLatch.at(member, onA.address());
            for (int t = 0; t < 2; t++)
            {
                workers.add(start(() ->
                {
                    for (int i = 0; i < perThread; i++)
                    {
                        latch.countDown();
                    }
                    return null;
                }));
            }
        }
        results(workers);
        assertEquals(1, onA.getCount(), "no count-down lost or doubled");
    }
}
