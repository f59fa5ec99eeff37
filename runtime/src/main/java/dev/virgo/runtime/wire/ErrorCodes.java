package dev.virgo.runtime.wire;

/**
 * Codes carried by ERROR messages, the reply to a message that was malformed or refused.
 */
public final class ErrorCodes
{
    /** The message could not be decoded (see {@link MalformedMessageException}). */
    public static final int MALFORMED_MESSAGE = 1;
    /** The message type code is not one this peer knows. */
    public static final int UNKNOWN_TYPE = 2;
    /** The message's version is not one this peer speaks. */
    public static final int UNSUPPORTED_VERSION = 3;
    /** The message is larger than this peer accepts. */
    public static final int TOO_LARGE = 4;
    /** The sender has not proven the cluster secret. */
    public static final int UNAUTHENTICATED = 5;
    /** Understood but refused, e.g. a node that is shutting down or at capacity. */
    public static final int REFUSED = 6;
    /** The receiver failed while handling a valid message. */
    public static final int INTERNAL = 7;

    private ErrorCodes()
    {
    }
}
