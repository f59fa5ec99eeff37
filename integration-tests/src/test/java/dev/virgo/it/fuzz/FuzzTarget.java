package dev.virgo.it.fuzz;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The run's settings, from system properties so that the long run is one command:
 * {@code -Dfuzz.frames=1000000} (frames per target, 20,000 by default: the CI's short run) and {@code -Dfuzz.seed=N}
 * (random by default, and printed, so that a failing run replays exactly).
 */
public final class FuzzTarget
{
    /** Where the fuzzer's link receives: what its HELLO names as the reply stream. */
    public static final int REPLY_STREAM_ID = 10;
    public static final long DEFAULT_FRAMES = 20_000;

    private FuzzTarget()
    {
    }

    /** @return frames to send each target. */
    public static long frames()
    {
        return Long.getLong("fuzz.frames", DEFAULT_FRAMES);
    }

    /** @return the seed of this run: {@code -Dfuzz.seed}, else a fresh one; the caller prints it. */
    public static long seed()
    {
        final String configured = System.getProperty("fuzz.seed");
        return null == configured || configured.isBlank() ? ThreadLocalRandom.current().nextLong() :
            Long.parseLong(configured.trim());
    }
}
