package dev.virgo.runtime.graph;

import dev.virgo.api.VirgoException;

/**
 * A thread's object graph holds something that cannot exist in another JVM (a socket, a stream, a lock,
 * another thread, a class loader) or that Kryo cannot copy (JDK internals closed to reflection). The caller
 * runs the thread locally instead, so the message is written for the one warning the user will see: it names
 * the field path and the class, e.g.
 * {@code com.acme.Worker.socket holds java.net.Socket: sockets cannot be copied to another JVM}.
 */
public class UnshippableGraphException extends VirgoException
{
    public UnshippableGraphException(final String message)
    {
        super(message);
    }

    public UnshippableGraphException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
