package dev.virgo.dsm.member;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Litmus tests that sequential consistency decides, beside the message-passing and store-buffering ones in
 * {@link DsmMemberTest}: each runs its threads on different members, many times, with fresh memory each time, and
 * counts the outcomes SC forbids (there must be none). Before each run the readers already hold copies of what they
 * will read, as programs that re-read memory do, so the writes must invalidate them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LitmusTest extends ThreeMemberTest
{
    private static final int ITERATIONS = 10_000;

    /** Load buffering: r1 = y; x = 1 || r2 = x; y = 1. Forbidden: r1 == 1 and r2 == 1. */
    @Test
    void shouldNeverShowLoadBufferingOutcomeForbiddenBySequentialConsistency() throws Exception
    {
        int forbidden = 0;
        for (int i = 0; i < ITERATIONS; i++)
        {
            final long x = a.malloc(8);
            final long y = b.malloc(8);
            a.getLong(y);
            c.getLong(x);
            final List<Long> seen = run(
                () ->
                {
                    final long r1 = a.getLong(y);
                    a.putLong(x, 1);
                    return r1;
                },
                () ->
                {
                    final long r2 = c.getLong(x);
                    c.putLong(y, 1);
                    return r2;
                });
            forbidden += seen.get(0) == 1 && seen.get(1) == 1 ? 1 : 0;
            a.free(x);
            b.free(y);
        }
        assertEquals(0, forbidden, "r1 == r2 == 1 observed");
    }

    /**
     * Independent reads of independent writes: x = 1 || y = 1 || r1 = x; r2 = y || r3 = y; r4 = x. Forbidden: the
     * two readers see the writes in opposite orders (r1 = 1, r2 = 0, r3 = 1, r4 = 0).
     */
    @Test
    void shouldNeverShowIndependentReadsOfIndependentWritesInOppositeOrders() throws Exception
    {
        int forbidden = 0;
        for (int i = 0; i < ITERATIONS; i++)
        {
            final long x = c.malloc(8);
            final long y = c.malloc(8);
            for (final DsmMember reader : new DsmMember[] {c, a})
            {
                reader.getLong(x);
                reader.getLong(y);
            }
            final List<Long> seen = run(
                () ->
                {
                    a.putLong(x, 1);
                    return 0L;
                },
                () ->
                {
                    b.putLong(y, 1);
                    return 0L;
                },
                () ->
                {
                    final long r1 = c.getLong(x);
                    final long r2 = c.getLong(y);
                    return r1 * 10 + r2;
                },
                () ->
                {
                    final long r3 = a.getLong(y);
                    final long r4 = a.getLong(x);
                    return r3 * 10 + r4;
                });
            forbidden += seen.get(2) == 10 && seen.get(3) == 10 ? 1 : 0;
            c.free(x);
            c.free(y);
        }
        assertEquals(0, forbidden, "readers saw the two writes in opposite orders");
    }

    /** Coherence of one location: x = 1; x = 2 || r1 = x; r2 = x. Forbidden: r2 older than r1. */
    @Test
    void shouldNeverReadAnOlderValueAfterANewerOneOfOneLocation() throws Exception
    {
        int forbidden = 0;
        for (int i = 0; i < ITERATIONS; i++)
        {
            final long x = b.malloc(8);
            c.getLong(x);
            final List<Long> seen = run(
                () ->
                {
                    a.putLong(x, 1);
                    a.putLong(x, 2);
                    return 0L;
                },
                () ->
                {
                    final long r1 = c.getLong(x);
                    final long r2 = c.getLong(x);
                    return r1 * 10 + r2;
                });
            final long r1 = seen.get(1) / 10;
            final long r2 = seen.get(1) % 10;
            forbidden += r2 < r1 ? 1 : 0;
            b.free(x);
        }
        assertEquals(0, forbidden, "a read returned an older value than the read before it");
    }

    @SafeVarargs
    private List<Long> run(final Callable<Long>... bodies) throws Exception
    {
        final CyclicBarrier start = new CyclicBarrier(bodies.length);
        final List<Future<Long>> futures = new ArrayList<>();
        for (final Callable<Long> body : bodies)
        {
            futures.add(threads.submit(() ->
            {
                start.await(10, TimeUnit.SECONDS);
                return body.call();
            }));
        }
        final List<Long> results = new ArrayList<>();
        for (final Future<Long> future : futures)
        {
            results.add(future.get(10, TimeUnit.SECONDS));
        }
        return results;
    }
}
