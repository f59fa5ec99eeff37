package dev.virgo.it.fuzz;

import dev.virgo.runtime.security.ClusterSecret;
import dev.virgo.runtime.security.FrameSealer;
import dev.virgo.runtime.security.Handshake;
import dev.virgo.runtime.wire.MessageHeader;
import dev.virgo.runtime.wire.MessageType;
import dev.virgo.runtime.wire.WelcomeDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * What a node accepts from an origin, for the fuzzer: every origin-to-node type (HELLO, START, PROPERTIES, CLASS_REPLY,
 * SYNC_REPLY, INTERRUPT, STATE_REQUEST, HEARTBEAT, HEAP, BYE), mostly naming the fuzzer's own origin id so that they
 * reach its session's handlers, and now and then a type only nodes send or another origin's id.
 * <p>
 * The fuzzer first opens a real session as an origin would: a HELLO naming its reply channel, proved with the
 * secret when the node has one ({@link #handshake}); the node's WELCOME keys the session, and frames sealed under it
 * get past the node's seal to its decoders. Without a secret the session is plain, and a mutated BYE may close it:
 * the fuzzer says HELLO again every batch.
 */
public final class NodeMessages implements FrameFuzzer.MessageSource
{
    private static final MessageType[] ACCEPTED = {
        MessageType.HELLO, MessageType.START, MessageType.PROPERTIES, MessageType.CLASS_REPLY,
        MessageType.SYNC_REPLY, MessageType.INTERRUPT, MessageType.STATE_REQUEST, MessageType.HEARTBEAT,
        MessageType.HEAP, MessageType.BYE};
    private static final MessageType[] ALL = MessageType.values();
    private static final int NODE_TO_ORIGIN_SESSION_ID = 0x0F0F;

    private final WireMessages wire = new WireMessages();
    private final long originId;
    private final Handshake handshake;
    private final SplittableRandom nonces;
    private byte[] plainHello;

    /**
     * @param originId  the fuzzer's origin id.
     * @param secret    the node's secret, or null for a node without one.
     * @param seed      for the nonces of the fuzzer's own HELLOs.
     */
    public NodeMessages(final long originId, final ClusterSecret secret, final long seed)
    {
        this.originId = originId;
        this.handshake = null == secret ? null : new Handshake(secret);
        this.nonces = new SplittableRandom(seed ^ 0x5EED);
    }

    /**
     * Says HELLO and waits for the node's WELCOME.
     *
     * @return the sealer of the session's origin-to-node direction, or null for a node without a secret.
     * @throws IllegalStateException when no WELCOME (with the right proof, for a node with a secret) comes in time.
     */
    public FrameSealer handshake(final FuzzLink link, final Duration timeout)
    {
        final byte[] nonce = new byte[Handshake.NONCE_BYTES];
        nonces.nextBytes(nonce);
        final byte[] hello = wire.hello(originId, link.replyChannel(), FuzzTarget.REPLY_STREAM_ID,
            NODE_TO_ORIGIN_SESSION_ID, nonce, handshake);
        plainHello = TransportFramer.whole(hello, 0);
        final WelcomeDecoder welcome = new WelcomeDecoder();
        final FrameSealer[] sealer = new FrameSealer[1];
        final boolean[] welcomed = new boolean[1];
        final long deadline = System.nanoTime() + timeout.toNanos();
        long nextHelloNs = 0;
        while (!welcomed[0])
        {
            if (System.nanoTime() - nextHelloNs >= 0)
            {
                link.send(plainHello, plainHello.length, timeout);
                nextHelloNs = System.nanoTime() + 200_000_000L;
            }
            link.pollReplies((buffer, offset, length, header) ->
            {
                if (length < 8 || buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN) != 1 ||
                    buffer.getInt(offset + 4, ByteOrder.LITTLE_ENDIAN) != 0)
                {
                    return; // a WELCOME comes plain and whole; the rest is the node's traffic to an origin
                }
                final UnsafeBuffer message = new UnsafeBuffer(new byte[length - 8]);
                buffer.getBytes(offset + 8, message, 0, length - 8);
                if ((message.getShort(0, MessageHeader.BYTE_ORDER) & 0xFFFF) != MessageType.WELCOME.code())
                {
                    return;
                }
                welcome.wrap(message, 0, message.capacity());
                if (welcome.originId() != originId)
                {
                    return;
                }
                if (null != handshake)
                {
                    final byte[] expected = handshake.welcomeProof(nonce, welcome.nonce(), originId,
                        welcome.sessionId());
                    if (!Handshake.proofMatches(expected, welcome.proof()))
                    {
                        throw new IllegalStateException("the node's WELCOME does not prove the secret");
                    }
                    final byte[][] keys = handshake.sessionKeys(nonce, welcome.nonce());
                    sealer[0] = new FrameSealer(keys[0], welcome.sessionId(), Handshake.encrypts(link.replyChannel()));
                }
                welcomed[0] = true;
            });
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("no WELCOME from the node within " + timeout);
            }
            LockSupport.parkNanos(1_000_000);
        }
        return sealer[0];
    }

    @Override
    public byte[] next(final SplittableRandom random)
    {
        final MessageType type = random.nextInt(10) == 0 ? ALL[random.nextInt(ALL.length)] :
            ACCEPTED[random.nextInt(ACCEPTED.length)];
        final long origin = random.nextInt(8) == 0 ? random.nextLong() : originId;
        final long threadId = random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(16);
        if (type == MessageType.HELLO && random.nextBoolean())
        {
            final byte[] nonce = new byte[Handshake.NONCE_BYTES];
            random.nextBytes(nonce);
            // Unproven, whatever the node: a proved HELLO would re-key the fuzzer's own session.
            return wire.hello(origin, random.nextBoolean() ? "aeron:udp?endpoint=127.0.0.1:" + random.nextInt(65_536) :
                "aeron:udp?endpoint=127.0.0.1:1", FuzzTarget.REPLY_STREAM_ID, 1 + random.nextInt(1000), nonce, null);
        }
        return wire.wellFormed(type, origin, threadId, random);
    }

    @Override
    public boolean maySeal(final byte[] message)
    {
        if (message.length < MessageHeader.LENGTH)
        {
            return true;
        }
        final ByteBuffer header = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        return (header.getShort(MessageHeader.TYPE_OFFSET) & 0xFFFF) != MessageType.BYE.code() ||
            header.getLong(MessageHeader.ORIGIN_ID_OFFSET) != originId;
    }

    @Override
    public void everyBatch(final FuzzLink link)
    {
        if (null == handshake && null != plainHello)
        {
            link.send(plainHello, plainHello.length, FrameFuzzer.SEND_TIMEOUT);
        }
    }
}
