package dev.virgo.runtime.security;

import javax.crypto.Mac;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The mutual challenge-response that opens a session, and the keys it derives.
 * <ol>
 *   <li>HELLO (origin to node) carries a fresh origin nonce, a wall-clock timestamp, and
 *   {@code helloProof = HMAC(proofKey, "virgo-hello" || nonceO || originId || replyChannel || replyStreamId ||
 *   nodeToOriginSessionId || timestampMs)}. A node opens a publication to the reply channel only when the proof
 *   verifies, the timestamp is within {@link #TIMESTAMP_WINDOW_MS} of its clock, and the nonce is not one it has
 *   seen in that window.</li>
 *   <li>WELCOME (node to origin) carries a fresh node nonce and {@code welcomeProof = HMAC(proofKey, "virgo-welcome"
 *   || nonceO || nonceN || originId || originToNodeSessionId)}; the origin accepts it only for the nonce of its
 *   latest HELLO.</li>
 *   <li>Both then derive {@code prk = HKDF-Extract(salt = nonceO || nonceN, secret)} and one key per direction,
 *   {@code HKDF-Expand(prk, "virgo origin-to-node", 32)} and {@code HKDF-Expand(prk, "virgo node-to-origin", 32)}.</li>
 * </ol>
 * {@code proofKey = HKDF-Expand(HKDF-Extract(0, secret), "virgo proof", 32)}, so the secret itself keys nothing
 * directly. Not thread-safe (one Mac): each conductor has its own.
 */
public final class Handshake
{
    public static final int NONCE_BYTES = 16;
    public static final int PROOF_BYTES = Hkdf.HASH_BYTES;
    public static final int KEY_BYTES = 32;
    /** A HELLO stamped further than this from the node's clock, either way, is refused. */
    public static final long TIMESTAMP_WINDOW_MS = 30_000;

    private static final byte[] HELLO_LABEL = "virgo-hello".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WELCOME_LABEL = "virgo-welcome".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROOF_INFO = "virgo proof".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ORIGIN_TO_NODE_INFO = "virgo origin-to-node".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NODE_TO_ORIGIN_INFO = "virgo node-to-origin".getBytes(StandardCharsets.US_ASCII);

    private final ClusterSecret secret;
    private final Mac proofMac;
    private final SecureRandom random = new SecureRandom();
    private final ByteBuffer scalars = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);

    public Handshake(final ClusterSecret secret)
    {
        this.secret = secret;
        final byte[] proofKey = Hkdf.expand(Hkdf.extract(null, secret.bytes()), PROOF_INFO, KEY_BYTES);
        this.proofMac = Hkdf.hmac(proofKey);
        Arrays.fill(proofKey, (byte)0);
    }

    /** @return the secret this handshake proves. */
    public ClusterSecret secret()
    {
        return secret;
    }

    /** @return a fresh random nonce. */
    public byte[] newNonce()
    {
        final byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }

    /** @return a fresh random session id, never 0 (0 marks an unprotected frame). */
    public int newSessionId()
    {
        int id;
        do
        {
            id = random.nextInt();
        }
        while (0 == id);
        return id;
    }

    public byte[] helloProof(
        final byte[] originNonce,
        final long originId,
        final String replyChannel,
        final int replyStreamId,
        final int nodeToOriginSessionId,
        final long timestampMs)
    {
        proofMac.update(HELLO_LABEL);
        proofMac.update(originNonce);
        final byte[] channel = replyChannel.getBytes(StandardCharsets.UTF_8);
        scalars.clear();
        scalars.putLong(originId).putInt(channel.length);
        proofMac.update(scalars.array(), 0, scalars.position());
        proofMac.update(channel);
        scalars.clear();
        scalars.putInt(replyStreamId).putInt(nodeToOriginSessionId).putLong(timestampMs);
        proofMac.update(scalars.array(), 0, scalars.position());
        return proofMac.doFinal();
    }

    public byte[] welcomeProof(
        final byte[] originNonce, final byte[] nodeNonce, final long originId, final int originToNodeSessionId)
    {
        proofMac.update(WELCOME_LABEL);
        proofMac.update(originNonce);
        proofMac.update(nodeNonce);
        scalars.clear();
        scalars.putLong(originId).putInt(originToNodeSessionId);
        proofMac.update(scalars.array(), 0, scalars.position());
        return proofMac.doFinal();
    }

    /**
     * Whether a session's frames are encrypted or only authenticated: encrypted unless the origin's reply channel is
     * IPC (same machine, same media driver), where the cost was measured against what it protects (see the README's
     * Security section); {@code -Dvirgo.security.encryptIpc=true} on both sides encrypts IPC too.
     */
    public static boolean encrypts(final String replyChannel)
    {
        return !replyChannel.startsWith("aeron:ipc") || Boolean.getBoolean("virgo.security.encryptIpc");
    }

    /** Constant-time comparison of a received proof with the expected one. */
    public static boolean proofMatches(final byte[] expected, final byte[] received)
    {
        return null != received && MessageDigest.isEqual(expected, received);
    }

    /** @return true when {@code timestampMs} is within {@link #TIMESTAMP_WINDOW_MS} of {@code nowMs}. */
    public static boolean isFresh(final long timestampMs, final long nowMs)
    {
        return Math.abs(nowMs - timestampMs) <= TIMESTAMP_WINDOW_MS;
    }

    /** @return true when every byte is 0: an origin or node without a secret sends zeros. */
    public static boolean isAbsent(final byte[] field)
    {
        int any = 0;
        for (final byte b : field)
        {
            any |= b;
        }
        return 0 == any;
    }

    /**
     * Derives the session's two keys.
     *
     * @return {@code [originToNode, nodeToOrigin]}, {@link #KEY_BYTES} each.
     */
    public byte[][] sessionKeys(final byte[] originNonce, final byte[] nodeNonce)
    {
        final byte[] salt = new byte[NONCE_BYTES * 2];
        System.arraycopy(originNonce, 0, salt, 0, NONCE_BYTES);
        System.arraycopy(nodeNonce, 0, salt, NONCE_BYTES, NONCE_BYTES);
        final byte[] prk = Hkdf.extract(salt, secret.bytes());
        final byte[][] keys = {
            Hkdf.expand(prk, ORIGIN_TO_NODE_INFO, KEY_BYTES),
            Hkdf.expand(prk, NODE_TO_ORIGIN_INFO, KEY_BYTES)};
        Arrays.fill(prk, (byte)0);
        return keys;
    }
}
