package dev.virgo.runtime.wire;

import static dev.virgo.runtime.wire.HelloEncoder.*;

/**
 * Decodes a HELLO message (origin to node, type code 1).
 * <p>
 * Opens a session: who the origin is and where the node should reply.
 * <p>
 * The layout is on {@link HelloEncoder}.
 */
public final class HelloDecoder extends MessageDecoder<HelloDecoder>
{
    public HelloDecoder()
    {
        super(MessageType.HELLO);
    }

    protected HelloDecoder self()
    {
        return this;
    }

    /** @return process id of the origin JVM. */
    public long originPid()
    {
        return buffer.getLong(fieldOffset(ORIGIN_PID_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return stream id the node replies on. */
    public int replyStreamId()
    {
        return buffer.getInt(fieldOffset(REPLY_STREAM_ID_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return the id the node writes in its protected frames to the origin. */
    public int sessionId()
    {
        return buffer.getInt(fieldOffset(SESSION_ID_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return the origin's wall clock when it made the proof. */
    public long timestampMs()
    {
        return buffer.getLong(fieldOffset(TIMESTAMP_MS_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return a copy of the origin's nonce. */
    public byte[] nonce()
    {
        final byte[] nonce = new byte[NONCE_LENGTH];
        buffer.getBytes(fieldOffset(NONCE_OFFSET), nonce);
        return nonce;
    }

    /** @return a copy of the proof. */
    public byte[] proof()
    {
        final byte[] proof = new byte[PROOF_LENGTH];
        buffer.getBytes(fieldOffset(PROOF_OFFSET), proof);
        return proof;
    }

    /** @return channel the node replies on (the origin Inbox's resolvedChannel); decoding UTF-8 allocates. */
    public String replyChannel()
    {
        return string(REPLY_CHANNEL_FIELD);
    }

    /** @return length in bytes of the UTF-8 encoded replyChannel. */
    public int replyChannelLength()
    {
        return varLength(REPLY_CHANNEL_FIELD);
    }

    /** @return human-readable name of the origin, for logs; decoding UTF-8 allocates. */
    public String originName()
    {
        return string(ORIGIN_NAME_FIELD);
    }

    /** @return length in bytes of the UTF-8 encoded originName. */
    public int originNameLength()
    {
        return varLength(ORIGIN_NAME_FIELD);
    }
}
