package dev.virgo.runtime.wire;

import static dev.virgo.runtime.wire.WelcomeEncoder.*;

/**
 * Decodes a WELCOME message (node to origin, type code 2).
 * <p>
 * Accepts a HELLO: who the node is and what it offers.
 * <p>
 * The layout is on {@link WelcomeEncoder}.
 */
public final class WelcomeDecoder extends MessageDecoder<WelcomeDecoder>
{
    public WelcomeDecoder()
    {
        super(MessageType.WELCOME);
    }

    protected WelcomeDecoder self()
    {
        return this;
    }

    /** @return process id of the node JVM. */
    public long nodePid()
    {
        return buffer.getLong(fieldOffset(NODE_PID_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return processors available to the node JVM. */
    public int availableProcessors()
    {
        return buffer.getInt(fieldOffset(AVAILABLE_PROCESSORS_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return human-readable name of the node, for logs; decoding UTF-8 allocates. */
    public String nodeName()
    {
        return string(NODE_NAME_FIELD);
    }

    /** @return length in bytes of the UTF-8 encoded nodeName. */
    public int nodeNameLength()
    {
        return varLength(NODE_NAME_FIELD);
    }

    /** @return the machine the node runs on; decoding UTF-8 allocates. */
    public String hostName()
    {
        return string(HOST_NAME_FIELD);
    }

    /** @return length in bytes of the UTF-8 encoded hostName. */
    public int hostNameLength()
    {
        return varLength(HOST_NAME_FIELD);
    }

    /** @return the id the origin writes in its protected frames to the node. */
    public int sessionId()
    {
        return buffer.getInt(fieldOffset(SESSION_ID_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return a copy of the node's nonce. */
    public byte[] nonce()
    {
        final byte[] nonce = new byte[HelloEncoder.NONCE_LENGTH];
        buffer.getBytes(fieldOffset(NONCE_OFFSET), nonce);
        return nonce;
    }

    /** @return a copy of the proof. */
    public byte[] proof()
    {
        final byte[] proof = new byte[HelloEncoder.PROOF_LENGTH];
        buffer.getBytes(fieldOffset(PROOF_OFFSET), proof);
        return proof;
    }
}
