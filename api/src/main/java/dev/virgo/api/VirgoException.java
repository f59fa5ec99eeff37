package dev.virgo.api;

/**
 * The root of every error Virgo raises. Subclasses exist only where a caller branches on them.
 * Messages name the thing and the value, e.g. {@code node=node-1 thread=worker-3: no answer in 2000 ms}.
 */
public class VirgoException extends RuntimeException
{
    public VirgoException(final String message)
    {
        super(message);
    }

    public VirgoException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
