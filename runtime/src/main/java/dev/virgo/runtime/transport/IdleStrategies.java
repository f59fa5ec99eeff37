package dev.virgo.runtime.transport;

import dev.virgo.api.VirgoException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Named idle strategies for pollers and the embedded driver. Each call returns a new instance because idle
 * strategies keep per-thread state.
 * <ul>
 *     <li>{@value #BACKOFF} (the default): a few spins, a few yields, then parks growing from 1 us to at most
 *     {@link #BACKOFF_MAX_PARK_NS} ns. On a 2-core machine several pollers (driver, origin, nodes) must share
 *     the cores, so an idle poller has to get off the CPU quickly; the cost is up to ~200 us of added latency
 *     after a quiet spell.</li>
 *     <li>{@value #YIELDING}: {@link Thread#yield()} in a loop. Lowest latency that still lets other runnable threads
 *     in, but shows as a busy core in {@code top}.</li>
 *     <li>{@value #SLEEPING}: parks {@link #SLEEPING_PARK_NS} ns each time; cheapest on CPU, slowest to react.</li>
 *     <li>{@value #SPINNING}: busy spins. Low-latency mode only: it burns a whole core per polling thread, and with
 *     more spinning threads than cores round trips degrade to milliseconds.</li>
 * </ul>
 */
public final class IdleStrategies
{
    public static final String BACKOFF = "backoff";
    public static final String YIELDING = "yielding";
    public static final String SLEEPING = "sleeping";
    public static final String SPINNING = "spinning";

    public static final long BACKOFF_MAX_SPINS = 10;
    public static final long BACKOFF_MAX_YIELDS = 20;
    public static final long BACKOFF_MIN_PARK_NS = TimeUnit.MICROSECONDS.toNanos(1);
    public static final long BACKOFF_MAX_PARK_NS = TimeUnit.MICROSECONDS.toNanos(200);
    public static final long SLEEPING_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private IdleStrategies()
    {
    }

    /**
     * @param name one of {@value #BACKOFF}, {@value #YIELDING}, {@value #SLEEPING}, {@value #SPINNING}.
     * @return a new idle strategy of that kind.
     * @throws VirgoException naming the value when it is not one of the above.
     */
    public static IdleStrategy forName(final String name)
    {
        if (name == null)
        {
            throw new VirgoException("idleStrategy=null: expected one of " + names());
        }

        switch (name)
        {
            case BACKOFF:
                return new BackoffIdleStrategy(
                    BACKOFF_MAX_SPINS, BACKOFF_MAX_YIELDS, BACKOFF_MIN_PARK_NS, BACKOFF_MAX_PARK_NS);
            case YIELDING:
                return new YieldingIdleStrategy();
            case SLEEPING:
                return new SleepingIdleStrategy(SLEEPING_PARK_NS);
            case SPINNING:
                return new BusySpinIdleStrategy();
            default:
                throw new VirgoException("idleStrategy=" + name + ": expected one of " + names());
        }
    }

    static boolean isKnown(final String name)
    {
        return BACKOFF.equals(name) || YIELDING.equals(name) || SLEEPING.equals(name) || SPINNING.equals(name);
    }

    static String names()
    {
        return BACKOFF + ", " + YIELDING + ", " + SLEEPING + ", " + SPINNING;
    }
}
