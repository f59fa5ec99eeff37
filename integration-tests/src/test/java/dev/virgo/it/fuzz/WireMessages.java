package dev.virgo.it.fuzz;

import dev.virgo.runtime.security.Handshake;
import dev.virgo.runtime.wire.HelloEncoder;
import dev.virgo.runtime.wire.MessageHeader;
import dev.virgo.runtime.wire.MessageType;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Well-formed runtime messages (see {@code dev.virgo.runtime.wire.MessageHeader}) of any {@link MessageType}, laid out
 * from the type's own description (its fixed length and variable fields), so that a type added to the enum is
 * fuzzed without a change here: the header with the current version, fixed fields all zero (what a decoder's range
 * checks accept: false flags, thread state 0, status 0) or random, then each variable field length-prefixed. A HELLO
 * is made with the runtime's own encoder and, when the fuzzer holds the secret, a real proof.
 */
public final class WireMessages
{
    private static final byte[] ALPHABET =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.$/_-:?=".getBytes(StandardCharsets.US_ASCII);

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private final HelloEncoder hello = new HelloEncoder();

    /**
     * @param type     which message.
     * @param originId the origin it names.
     * @param threadId the thread (or node index) it names.
     * @return the encoded message, {@code MessageType.minLength()} bytes or more.
     */
    public byte[] wellFormed(final MessageType type, final long originId, final long threadId,
        final SplittableRandom random)
    {
        int varBytes = 0;
        final byte[][] fields = new byte[type.varFieldCount()][];
        for (int i = 0; i < fields.length; i++)
        {
            fields[i] = field(random);
            varBytes += MessageHeader.VAR_LENGTH_PREFIX + fields[i].length;
        }
        final ByteBuffer out = ByteBuffer.allocate(MessageHeader.LENGTH + type.fixedLength() + varBytes)
            .order(MessageHeader.BYTE_ORDER);
        out.putShort((short)type.code()).putShort((short)MessageHeader.CURRENT_VERSION).putInt(0)
            .putLong(originId).putLong(threadId);
        final byte[] fixed = new byte[type.fixedLength()];
        if (random.nextInt(4) == 0)
        {
            random.nextBytes(fixed);
        }
        else if (fixed.length >= 8 && random.nextBoolean())
        {
            // A correlation id or pid first, as many fixed parts start: small numbers match what a peer waits for.
            ByteBuffer.wrap(fixed).order(ByteOrder.LITTLE_ENDIAN).putLong(0, random.nextInt(16));
        }
        out.put(fixed);
        for (final byte[] field : fields)
        {
            out.putInt(field.length).put(field);
        }
        return out.array();
    }

    /**
     * A HELLO naming {@code replyChannel}, proved with {@code handshake} when given (else the zeros of an origin
     * without a secret).
     *
     * @param nonce the origin nonce, {@link Handshake#NONCE_BYTES} bytes.
     */
    public byte[] hello(final long originId, final String replyChannel, final int replyStreamId,
        final int nodeToOriginSessionId, final byte[] nonce, final Handshake handshake)
    {
        final long nowMs = System.currentTimeMillis();
        hello.wrap(buffer, 0).originId(originId).threadId(0)
            .originPid(ProcessHandle.current().pid())
            .replyStreamId(replyStreamId)
            .sessionId(nodeToOriginSessionId)
            .timestampMs(nowMs)
            .nonce(nonce)
            .proof(null == handshake ? new byte[HelloEncoder.PROOF_LENGTH] : handshake.helloProof(
                nonce, originId, replyChannel, replyStreamId, nodeToOriginSessionId, nowMs))
            .replyChannel(replyChannel)
            .originName("fuzzer");
        return Arrays.copyOf(buffer.byteArray(), hello.encodedLength());
    }

    private static byte[] field(final SplittableRandom random)
    {
        final int length;
        switch (random.nextInt(4))
        {
            case 0: length = 0; break;
            case 1: length = 1 + random.nextInt(8); break;
            case 2: length = 8 + random.nextInt(64); break;
            default: length = 64 + random.nextInt(512); break;
        }
        final byte[] bytes = new byte[length];
        if (random.nextBoolean())
        {
            // Text, as names and class names are: the decoders' UTF-8 and name checks get input they can parse.
            for (int i = 0; i < length; i++)
            {
                bytes[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
        }
        else
        {
            random.nextBytes(bytes);
        }
        return bytes;
    }
}
