package dev.virgo.runtime.graph;

import dev.virgo.api.VirgoException;

/**
 * Stands in for an exception thrown on a node whose class cannot be reconstructed at the origin (the class is
 * missing, is not a {@link Throwable}, or its fields cannot be set). It keeps what a reader of a stack trace
 * needs: the remote class name, the message and the remote stack trace; {@link #toString()} prints the remote
 * class name, so {@code printStackTrace()} looks like the original.
 */
public class RemoteThrowable extends VirgoException
{
    private final String remoteClassName;
    private final String remoteMessage;

    public RemoteThrowable(final String remoteClassName, final String remoteMessage, final StackTraceElement[] stackTrace)
    {
        super(remoteMessage);
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        setStackTrace(stackTrace);
    }

    /** The binary name of the exception class thrown on the node. */
    public String remoteClassName()
    {
        return remoteClassName;
    }

    /** The message of the exception thrown on the node, possibly null. */
    public String remoteMessage()
    {
        return remoteMessage;
    }

    @Override
    public String toString()
    {
        return remoteMessage == null ? remoteClassName : remoteClassName + ": " + remoteMessage;
    }
}
