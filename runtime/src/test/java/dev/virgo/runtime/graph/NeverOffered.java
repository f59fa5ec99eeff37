package dev.virgo.runtime.graph;

/**
 * A class that no code of {@link OfferedWorker} names, standing for a gadget on the origin's class path. An
 * exception, so that it can also end a thread.
 */
final class NeverOffered extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    Object payload;

    NeverOffered()
    {
        super("never offered");
    }
}
