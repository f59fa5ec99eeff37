package dev.virgo.runtime.graph;

/** Named by {@link OfferedWorker}'s code, so offered to the thread that runs it. */
final class OfferedPart
{
    final int value;

    OfferedPart(final int value)
    {
        this.value = value;
    }
}
