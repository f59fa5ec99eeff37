package dev.virgo.runtime.graph;

import dev.virgo.api.VirgoException;

/**
 * A thread's object graph (or its final state) encodes to more bytes than the configured limit. Raised as soon
 * as the limit is crossed, so a huge graph costs at most {@code limitBytes} of buffer, never the whole heap.
 */
public class GraphTooLargeException extends VirgoException
{
    private final int limitBytes;
    private final long reachedBytes;

    public GraphTooLargeException(final int limitBytes, final long reachedBytes)
    {
        super("object graph exceeds maxGraphBytes=" + limitBytes + ": encoding reached " + reachedBytes +
            " bytes before it was stopped");
        this.limitBytes = limitBytes;
        this.reachedBytes = reachedBytes;
    }

    /** The configured limit, in bytes. */
    public int limitBytes()
    {
        return limitBytes;
    }

    /** How many bytes the encoding needed when it was stopped (a lower bound of the full size). */
    public long reachedBytes()
    {
        return reachedBytes;
    }
}
