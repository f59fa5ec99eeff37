package dev.virgo.runtime.graph;

import dev.virgo.api.VirgoException;

/**
 * What a node sent the origin names a class the origin did not offer that node's thread ({@link ClassOffer}): the
 * decode stops there, before any object of the class is made, and nothing of what was sent is written anywhere.
 */
public final class UnofferedClassException extends VirgoException
{
    private static final long serialVersionUID = 1L;

    private final String className;

    UnofferedClassException(final String className, final String thread, final String reason)
    {
        super(className + " is not offered to " + thread + ": it " + reason + "; nothing of what the node sent " +
            "was instantiated or written here");
        this.className = className;
    }

    /** The refused class's name. */
    public String className()
    {
        return className;
    }
}
