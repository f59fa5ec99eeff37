package dev.virgo.it.fuzz;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What one fuzz run sent: frames in all, by framing and by mutation, how long it took, and how often the target was
 * slower than the fuzzer (back pressure, which Aeron's flow control turns into waiting, not loss).
 */
public record FuzzReport(
    String target,
    long seed,
    long frames,
    long randomFrames,
    long validMessages,
    Map<TransportFramer.Kind, Long> byFraming,
    Map<Mutator.Kind, Long> byMutation,
    long durationNs,
    long backPressureEvents)
{
    @Override
    public String toString()
    {
        final long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(durationNs));
        return "FUZZ " + target + ": " + frames + " frames in " + ms + " ms (" + frames * 1000 / ms + " frames/s), seed " +
            seed + System.lineSeparator() +
            "  wholly random frames: " + randomFrames + ", valid messages: " + validMessages +
            ", back-pressure waits: " + backPressureEvents + System.lineSeparator() +
            "  framing: " + byFraming + System.lineSeparator() +
            "  mutations: " + byMutation;
    }
}
