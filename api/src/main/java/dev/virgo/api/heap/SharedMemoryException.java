package dev.virgo.api.heap;

import dev.virgo.api.VirgoException;

/**
 * A misuse of shared memory (out of bounds, freed, unaligned atomic) or a page that cannot be reached (its home does
 * not answer). The message names the address or page and the member.
 */
public class SharedMemoryException extends VirgoException
{
    private static final long serialVersionUID = 1L;

    public SharedMemoryException(final String message)
    {
        super(message);
    }
}
