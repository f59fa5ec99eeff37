package dev.virgo.runtime.wire;

/**
 * Encodes a HELLO message (origin to node, type code 1).
 * <p>
 * Opens a session: who the origin is and where the node should reply.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  originPid                int64
 *     32  replyStreamId            int32
 *     36  sessionId                int32: the id the node writes in its protected frames to the origin
 *     40  timestampMs              int64: the origin's wall clock when it made the proof
 *     48  nonce                    16 bytes: fresh per handshake (zeros without a secret)
 *     64  proof                    32 bytes: HMAC-SHA256, see security.Handshake (zeros without a secret)
 *     96  replyChannel             int32 length + UTF-8 bytes
 *    ...  originName               int32 length + UTF-8 bytes
 * </pre>
 */
public final class HelloEncoder extends MessageEncoder<HelloEncoder>
{
    static final int ORIGIN_PID_OFFSET = 0;
    static final int REPLY_STREAM_ID_OFFSET = 8;
    static final int SESSION_ID_OFFSET = 12;
    static final int TIMESTAMP_MS_OFFSET = 16;
    static final int NONCE_OFFSET = 24;
    static final int PROOF_OFFSET = 40;
    public static final int NONCE_LENGTH = 16;
    public static final int PROOF_LENGTH = 32;

    static final int REPLY_CHANNEL_FIELD = 0;
    static final int ORIGIN_NAME_FIELD = 1;

    public HelloEncoder()
    {
        super(MessageType.HELLO);
    }

    protected HelloEncoder self()
    {
        return this;
    }

    /** @param originPid process id of the origin JVM. @return this. */
    public HelloEncoder originPid(final long originPid)
    {
        buffer.putLong(fieldOffset(ORIGIN_PID_OFFSET), originPid, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param replyStreamId stream id the node replies on. @return this. */
    public HelloEncoder replyStreamId(final int replyStreamId)
    {
        buffer.putInt(fieldOffset(REPLY_STREAM_ID_OFFSET), replyStreamId, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param sessionId the id the node writes in its protected frames to the origin. @return this. */
    public HelloEncoder sessionId(final int sessionId)
    {
        buffer.putInt(fieldOffset(SESSION_ID_OFFSET), sessionId, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param timestampMs the origin's wall clock when it made the proof. @return this. */
    public HelloEncoder timestampMs(final long timestampMs)
    {
        buffer.putLong(fieldOffset(TIMESTAMP_MS_OFFSET), timestampMs, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param nonce {@link #NONCE_LENGTH} bytes. @return this. */
    public HelloEncoder nonce(final byte[] nonce)
    {
        buffer.putBytes(fieldOffset(NONCE_OFFSET), nonce, 0, NONCE_LENGTH);
        return this;
    }

    /** @param proof {@link #PROOF_LENGTH} bytes. @return this. */
    public HelloEncoder proof(final byte[] proof)
    {
        buffer.putBytes(fieldOffset(PROOF_OFFSET), proof, 0, PROOF_LENGTH);
        return this;
    }

    /**
     * @param replyChannel channel the node replies on (the origin Inbox's resolvedChannel); null is written as empty.
     * @return this.
     */
    public HelloEncoder replyChannel(final String replyChannel)
    {
        putString(REPLY_CHANNEL_FIELD, replyChannel);
        return this;
    }

    /**
     * @param originName human-readable name of the origin, for logs; null is written as empty.
     * @return this.
     */
    public HelloEncoder originName(final String originName)
    {
        putString(ORIGIN_NAME_FIELD, originName);
        return this;
    }
}
