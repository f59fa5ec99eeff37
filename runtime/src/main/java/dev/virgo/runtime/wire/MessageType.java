package dev.virgo.runtime.wire;

import java.util.List;

/**
 * The message types and their codes (the header's {@code type} field). A code is never reused for another meaning;
 * a changed layout gets a new {@link MessageHeader#CURRENT_VERSION}.
 */
public enum MessageType
{
    /** origin to node: Opens a session: who the origin is and where the node should reply. */
    HELLO(1, 72, "replyChannel", "originName"),

    /** node to origin: Accepts a HELLO: who the node is and what it offers. */
    WELCOME(2, 64, "nodeName", "hostName"),

    /** origin to node: Starts a moved thread on the node (the header's threadId names it). */
    START(3, 5, "threadName", "snapshot"),

    /** node to origin: A moved thread ended: how, and the state to write back. */
    FINISHED(4, 1, "finalState", "throwable"),

    /** node to origin: Asks the origin for the bytes of a class, as one of its class loaders defines it. */
    CLASS_REQUEST(5, 12, "className"),

    /** origin to node: Answers a CLASS_REQUEST: found, not found, or refused with a reason. */
    CLASS_REPLY(6, 9, "classBytes", "reason"),

    /** node to origin: Bytes a moved thread wrote to System.out or System.err. */
    OUTPUT(7, 1, "bytes"),

    /** origin to node: Interrupts the moved thread named by the header's threadId. */
    INTERRUPT(8, 0),

    /** origin to node: Asks for the Thread.State of the moved thread named by the header's threadId. */
    STATE_REQUEST(9, 8),

    /** node to origin: Answers a STATE_REQUEST. */
    STATE_REPLY(10, 9),

    /** both ways: Liveness and load, sent periodically by both sides. */
    HEARTBEAT(11, 32),

    /** origin to node: The origin is leaving: the node drops its session. */
    BYE(12, 0),

    /** either way: The reply to a malformed or refused message. */
    ERROR(13, 4, "message"),

    /**
     * both ways: A shared-heap control message (joining the heap, members leaving), opaque here: the payload's
     * format belongs to the heap implementation (see {@code dev.virgo.dsm.cluster.HeapControl}). The header's
     * threadId carries the node's index, as in WELCOME.
     */
    HEAP(14, 0, "payload"),

    /**
     * origin to node: The origin's system properties that a moved thread sees (all but those naming the JVM and
     * machine a thread runs on), sent before the START that first needs them; every later START from this origin
     * sees them until the next PROPERTIES.
     */
    PROPERTIES(15, 8, "properties"),

    /**
     * node to origin: The moved thread named by the header's threadId (or a thread it started on the node) called
     * {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt}: the origin ends the program with that status.
     */
    EXIT(16, 5),

    /**
     * node to origin: The moved thread named by the header's threadId handed an exception to its own
     * uncaught-exception handler, which lives at the origin: the origin calls it.
     */
    UNCAUGHT(17, 0, "throwable"),

    /**
     * node to origin: A synchronization operation of the moved thread named by the header's threadId on an object it
     * shares with the origin, with what the thread wrote when the operation releases.
     */
    SYNC(18, 25, "className", "fieldName", "state"),

    /** origin to node: Answers a SYNC: how it went, with the state to acquire when the operation acquires. */
    SYNC_REPLY(19, 9, "state", "message");

    private static final MessageType[] BY_CODE;

    static
    {
        int maxCode = 0;
        for (final MessageType type : values())
        {
            maxCode = Math.max(maxCode, type.code);
        }
        BY_CODE = new MessageType[maxCode + 1];
        for (final MessageType type : values())
        {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final int fixedLength;
    private final String[] varFieldNames;

    MessageType(final int code, final int fixedLength, final String... varFieldNames)
    {
        this.code = code;
        this.fixedLength = fixedLength;
        this.varFieldNames = varFieldNames;
    }

    /**
     * @param code from a message header.
     * @return the type with that code, or null when there is none.
     */
    public static MessageType get(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** @return the code written in the header. */
    public int code()
    {
        return code;
    }

    /** @return bytes of fixed fields between the header and the first variable field. */
    public int fixedLength()
    {
        return fixedLength;
    }

    /** @return number of variable (length-prefixed) fields. */
    public int varFieldCount()
    {
        return varFieldNames.length;
    }

    /**
     * @param index of a variable field.
     * @return its name, for error messages.
     */
    public String varFieldName(final int index)
    {
        return varFieldNames[index];
    }

    /** @return the names of the variable fields, in wire order. */
    public List<String> varFieldNames()
    {
        return List.of(varFieldNames);
    }

    /** @return the shortest valid message of this type: header, fixed fields and an empty length per variable field. */
    public int minLength()
    {
        return MessageHeader.LENGTH + fixedLength + MessageHeader.VAR_LENGTH_PREFIX * varFieldNames.length;
    }
}
