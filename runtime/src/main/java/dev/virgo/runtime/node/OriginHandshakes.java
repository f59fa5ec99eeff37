package dev.virgo.runtime.node;

import dev.virgo.runtime.log.LogThrottle;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.security.FrameOpener;
import dev.virgo.runtime.security.FrameSealer;
import dev.virgo.runtime.security.Handshake;
import dev.virgo.runtime.security.NonceCache;
import dev.virgo.runtime.transport.Inbox;
import dev.virgo.runtime.wire.HelloDecoder;
import dev.virgo.runtime.wire.MessageType;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The node's side of the cluster-secret handshake (the scheme is in the README, "Security", and on
 * {@link Handshake}): which HELLO opens or re-keys a session, and whether a later message came under the keys of the
 * origin it names. Used by the {@link NodeConductor}'s thread only; absent when the node has no secret (loopback only),
 * and then frames are plain.
 * <p>
 * A HELLO that does not prove the secret, is stale, or repeats a nonce gets no reply at all: the channel it names is
 * unproven, so nothing is published there. It is logged as an ERROR with a count.
 */
final class OriginHandshakes
{
    private final Handshake handshake;
    private final Inbox inbox;
    private final NonceCache helloNonces = new NonceCache(4096, 2 * Handshake.TIMESTAMP_WINDOW_MS);
    private long refusedHelloCount;
    /** Anyone who can reach the node can send HELLOs: a flood of bad ones writes a bounded number of lines. */
    private final LogThrottle refusedHellos = new LogThrottle("refused HELLOs", LogThrottle.DEFAULT_BURST_LINES,
        LogThrottle.DEFAULT_WINDOW_NS, System::nanoTime, line -> VirgoLog.error(line, null));

    OriginHandshakes(final Handshake handshake, final Inbox inbox)
    {
        this.handshake = handshake;
        this.inbox = inbox;
    }

    /**
     * Whether a message other than HELLO came under the session keys of the origin it names; the first one that does
     * tells the session the origin has its keys.
     */
    boolean isAuthenticated(final MessageType type, final OriginSession session)
    {
        if (type == MessageType.HELLO)
        {
            return true;
        }
        if (null == session || inbox.authenticatedSessionId() != session.receiveSessionId)
        {
            return false;
        }
        session.originKeyed = true;
        return true;
    }

    /**
     * Answers a HELLO that proves the secret with a WELCOME that proves it back, and keys the session both ways.
     *
     * @param hello       the HELLO, wrapped.
     * @param known       this origin's session, or null.
     * @param openSession opens a session for the HELLO's origin once it has proved the secret.
     */
    void onHello(final HelloDecoder hello, final OriginSession known, final Supplier<OriginSession> openSession,
        final long nowNs)
    {
        final byte[] originNonce = hello.nonce();
        final String replyChannel = hello.replyChannel();
        final String who = "HELLO from origin " + hello.originPid() + " (" + hello.originName() + ") replying to " +
            replyChannel + " stream " + hello.replyStreamId();
        if (Handshake.isAbsent(hello.proof()))
        {
            refuse(who + ": it proves no cluster secret, and this node requires one (start the origin with " +
                "secretFile=PATH or VIRGO_SECRET_FILE naming this node's secret file)");
            return;
        }
        final long nowMs = System.currentTimeMillis();
        if (!Handshake.isFresh(hello.timestampMs(), nowMs))
        {
            refuse(who + ": timestamp " + hello.timestampMs() + " is more than " +
                Handshake.TIMESTAMP_WINDOW_MS + " ms from this node's clock " + nowMs);
            return;
        }
        final byte[] expected = handshake.helloProof(originNonce, hello.originId(), replyChannel,
            hello.replyStreamId(), hello.sessionId(), hello.timestampMs());
        if (!Handshake.proofMatches(expected, hello.proof()))
        {
            refuse(who + ": wrong proof: the origin holds another secret, or the HELLO was altered");
            return;
        }
        if (null != known && Arrays.equals(known.originNonce, originNonce))
        {
            // The origin sent this HELLO again: unless it already used the keys, our WELCOME did not reach it; the
            // same WELCOME again, plain, as the origin cannot open protected frames before it has it. No carrier of
            // this session sends meanwhile: nothing runs for an origin before it has used its keys.
            if (!known.originKeyed)
            {
                known.outbox().protect(null);
                known.sendWelcome();
                known.outbox().protect(known.sealer);
            }
            return;
        }
        if (helloNonces.isReplayOrFull(originNonce, nowMs))
        {
            refuse(who + ": its nonce was seen before (a replayed HELLO), or too many handshakes are recent");
            return;
        }
        helloNonces.add(originNonce, nowMs);

        final OriginSession session = null == known ? openSession.get() : known;
        if (0 != session.receiveSessionId)
        {
            inbox.removeSession(session.receiveSessionId);
        }
        final byte[] nodeNonce = handshake.newNonce();
        final int receiveSessionId = handshake.newSessionId();
        final boolean encrypt = Handshake.encrypts(replyChannel);
        final byte[][] keys = handshake.sessionKeys(originNonce, nodeNonce);
        inbox.addSession(receiveSessionId, new FrameOpener(keys[0], encrypt));
        session.handshake(originNonce, receiveSessionId, nodeNonce,
            handshake.welcomeProof(originNonce, nodeNonce, hello.originId(), receiveSessionId));
        session.outbox().protect(null);
        session.onHeartbeat(nowNs, -1);
        session.sendWelcome();
        session.originKeyed = false;
        session.sealer = new FrameSealer(keys[1], hello.sessionId(), encrypt);
        session.outbox().protect(session.sealer);
        VirgoLog.debug("origin " + session.describe() + " proved the secret; frames " +
            (encrypt ? "encrypted" : "authenticated"));
    }

    private void refuse(final String reason)
    {
        refusedHelloCount++;
        refusedHellos.log("refused HELLO #" + refusedHelloCount + ": " + reason + "; no reply sent");
    }

    /** From the conductor's duty cycle: writes the count of refusals not shown once their window is over. */
    int pollLog()
    {
        return refusedHellos.poll();
    }
}
