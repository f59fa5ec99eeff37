package dev.virgo.runtime.origin;

import dev.virgo.api.VirgoException;

/**
 * Delivered to a moved thread's uncaught-exception handler when the node running it is lost before the thread
 * ends: its writes are not applied, and {@code join()} returns.
 */
public final class NodeLostException extends VirgoException
{
    private static final long serialVersionUID = 1L;

    public NodeLostException(final String message)
    {
        super(message);
    }
}
