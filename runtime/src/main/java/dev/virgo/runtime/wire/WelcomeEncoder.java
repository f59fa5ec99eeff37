package dev.virgo.runtime.wire;

/**
 * Encodes a WELCOME message (node to origin, type code 2).
 * <p>
 * Accepts a HELLO: who the node is and what it offers.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  nodePid                  int64
 *     32  availableProcessors      int32
 *     36  sessionId                int32: the id the origin writes in its protected frames to the node
 *     40  nonce                    16 bytes: the node's, fresh per handshake (zeros without a secret)
 *     56  proof                    32 bytes: HMAC-SHA256 over both nonces, see security.Handshake
 *     88  nodeName                 int32 length + UTF-8 bytes
 *    ...  hostName                 int32 length + UTF-8 bytes
 * </pre>
 * {@code hostName} names the machine the node runs on, so that an origin counting pooled processors counts each
 * machine once however many node JVMs it runs.
 */
public final class WelcomeEncoder extends MessageEncoder<WelcomeEncoder>
{
    static final int NODE_PID_OFFSET = 0;
    static final int AVAILABLE_PROCESSORS_OFFSET = 8;
    static final int SESSION_ID_OFFSET = 12;
    public static final int NONCE_BYTES = HelloEncoder.NONCE_LENGTH;
    static final int NONCE_OFFSET = 16;
    static final int PROOF_OFFSET = 32;

    static final int NODE_NAME_FIELD = 0;
    static final int HOST_NAME_FIELD = 1;

    public WelcomeEncoder()
    {
        super(MessageType.WELCOME);
    }

    protected WelcomeEncoder self()
    {
        return this;
    }

    /** @param nodePid process id of the node JVM. @return this. */
    public WelcomeEncoder nodePid(final long nodePid)
    {
        buffer.putLong(fieldOffset(NODE_PID_OFFSET), nodePid, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param availableProcessors processors available to the node JVM. @return this. */
    public WelcomeEncoder availableProcessors(final int availableProcessors)
    {
        buffer.putInt(fieldOffset(AVAILABLE_PROCESSORS_OFFSET), availableProcessors, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param sessionId the id the origin writes in its protected frames to the node. @return this. */
    public WelcomeEncoder sessionId(final int sessionId)
    {
        buffer.putInt(fieldOffset(SESSION_ID_OFFSET), sessionId, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param nonce {@link HelloEncoder#NONCE_LENGTH} bytes. @return this. */
    public WelcomeEncoder nonce(final byte[] nonce)
    {
        buffer.putBytes(fieldOffset(NONCE_OFFSET), nonce, 0, HelloEncoder.NONCE_LENGTH);
        return this;
    }

    /** @param proof {@link HelloEncoder#PROOF_LENGTH} bytes. @return this. */
    public WelcomeEncoder proof(final byte[] proof)
    {
        buffer.putBytes(fieldOffset(PROOF_OFFSET), proof, 0, HelloEncoder.PROOF_LENGTH);
        return this;
    }

    /**
     * @param nodeName human-readable name of the node, for logs; null is written as empty.
     * @return this.
     */
    public WelcomeEncoder nodeName(final String nodeName)
    {
        putString(NODE_NAME_FIELD, nodeName);
        return this;
    }

    /**
     * @param hostName the machine the node runs on; null is written as empty.
     * @return this.
     */
    public WelcomeEncoder hostName(final String hostName)
    {
        putString(HOST_NAME_FIELD, hostName);
        return this;
    }
}
