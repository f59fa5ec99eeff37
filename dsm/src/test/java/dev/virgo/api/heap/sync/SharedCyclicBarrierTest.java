package dev.virgo.api.heap.sync;

import dev.virgo.dsm.member.DsmMember;
import dev.virgo.dsm.member.ThreeMemberTest;
import dev.virgo.api.heap.SharedLongArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedCyclicBarrierTest extends ThreeMemberTest
{
    private static final int GENERATIONS = 20;

    @Test
    void shouldTripEveryGenerationOnceAllThreeMembersArrive() throws Exception
    {
        final SharedCyclicBarrier barrier = SharedCyclicBarrier.create(a, 3);
        final long progressAddress = SharedLongArray.allocate(b, 3).address();
        final List<Future<int[]>> parties = new ArrayList<>();
        for (final DsmMember member : cluster.members)
        {
            final SharedCyclicBarrier mine = SharedCyclicBarrier.at(member, barrier.address());
            final SharedLongArray progress = SharedLongArray.at(member, progressAddress, 3);
            final int me = member.memberId();
            parties.add(start(() ->
            {
                final int[] arrivals = new int[GENERATIONS];
                for (int generation = 1; generation <= GENERATIONS; generation++)
                {
                    progress.set(me, generation);
                    arrivals[generation - 1] = mine.await(WAIT_S, TimeUnit.SECONDS);
                    for (int other = 0; other < 3; other++)
                    {
                        final long seen = progress.get(other);
                        assertTrue(seen == generation || seen == generation + 1,
                            "member " + me + " generation " + generation + ": member " + other + " at " + seen);
                    }
                }
                return arrivals;
            }));
        }

        final List<int[]> arrivals = results(parties);
        for (int generation = 0; generation < GENERATIONS; generation++)
        {
            final Set<Integer> indexes = new HashSet<>();
            for (final int[] party : arrivals)
            {
                indexes.add(party[generation]);
            }
            assertEquals(Set.of(0, 1, 2), indexes, "arrival indexes of generation " + generation);
        }
        assertEquals(0, barrier.getNumberWaiting());
        assertFalse(barrier.isBroken());
    }

    @Test
    void shouldBreakForEveryPartyWhenOneTimesOut() throws Exception
    {
        final SharedCyclicBarrier onA = SharedCyclicBarrier.create(a, 3);
        final SharedCyclicBarrier onB = SharedCyclicBarrier.at(b, onA.address());
        assertEquals(3, onB.getParties());
        final Future<Integer> patient = start(() -> onB.await(WAIT_S, TimeUnit.SECONDS));
        assertThrows(TimeoutException.class, () -> onA.await(50, TimeUnit.MILLISECONDS));

        final ExecutionException broken = assertThrows(ExecutionException.class, () -> result(patient));
        assertInstanceOf(BrokenBarrierException.class, broken.getCause());
        assertTrue(SharedCyclicBarrier.at(c, onA.address()).isBroken());
        assertThrows(BrokenBarrierException.class,
            () -> SharedCyclicBarrier.at(c, onA.address()).await(WAIT_S, TimeUnit.SECONDS), "stays broken");
    }

    @Test
    void shouldRejectAnAddressWithoutABarrier()
    {
        final long empty = a.malloc(16);
        assertThrows(IllegalArgumentException.class, () -> SharedCyclicBarrier.at(b, empty));
        assertThrows(IllegalArgumentException.class, () -> SharedCyclicBarrier.create(a, 0));
    }
}
