package dev.virgo.runtime.origin;

import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.security.FrameOpener;
import dev.virgo.runtime.security.FrameSealer;
import dev.virgo.runtime.security.Handshake;
import dev.virgo.runtime.transport.Inbox;
import dev.virgo.runtime.wire.HelloEncoder;
import dev.virgo.runtime.wire.MessageType;
import dev.virgo.runtime.wire.WelcomeDecoder;

import java.util.List;
import java.util.function.LongFunction;

/**
 * The origin's side of the cluster-secret handshake with its nodes (the scheme is in the README, "Security", and on
 * {@link Handshake}): what each HELLO proves, which WELCOME is taken and how it keys the session, and whether a later
 * message came under the keys of the node it names. Used by the {@link OriginConductor}'s thread only; absent when the
 * origin has no secret (nodes= on loopback), and then frames are plain.
 * <p>
 * A node's session id on this origin's inbox is its index + 1, so that 0 stays "no session".
 */
final class NodeHandshakes
{
    /** A HELLO's nonce and timestamp are renewed this often while a node does not answer, well inside the window. */
    private static final long HELLO_RENEW_MS = Handshake.TIMESTAMP_WINDOW_MS / 6;

    private final Handshake handshake;
    private final OriginRuntime runtime;
    private final Inbox inbox;
    private final List<NodeConnection> nodes;
    private final LongFunction<NodeConnection> nodeRunning;

    /**
     * @param nodeRunning the node a moved thread of this origin runs on, by thread id; null for a thread that does not
     *                    run on a node (ended, or never moved).
     */
    NodeHandshakes(final Handshake handshake, final OriginRuntime runtime, final Inbox inbox,
        final List<NodeConnection> nodes, final LongFunction<NodeConnection> nodeRunning)
    {
        this.handshake = handshake;
        this.runtime = runtime;
        this.inbox = inbox;
        this.nodes = nodes;
        this.nodeRunning = nodeRunning;
    }

    /** Adds the session id, nonce, timestamp and proof to a HELLO for the node at {@code index}. */
    void prove(final HelloEncoder hello, final NodeConnection node, final int index)
    {
        final long nowMs = System.currentTimeMillis();
        if (null == node.helloNonce || nowMs - node.helloTimestampMs > HELLO_RENEW_MS)
        {
            node.helloNonce = handshake.newNonce();
            node.helloTimestampMs = nowMs;
        }
        hello.sessionId(index + 1).timestampMs(node.helloTimestampMs).nonce(node.helloNonce)
            .proof(handshake.helloProof(node.helloNonce, runtime.originId(), runtime.replyChannel(),
                runtime.replyStreamId(), index + 1, node.helloTimestampMs));
    }

    /**
     * Takes a node's WELCOME only if it proves the secret over this origin's latest HELLO nonce; then keys both
     * directions of the session. A refusal is logged once per node, and the node gets no work.
     *
     * @return true when the node proved the secret and the session is keyed.
     */
    boolean accept(final NodeConnection node, final WelcomeDecoder welcome)
    {
        if (null == node.helloNonce)
        {
            return false;
        }
        final byte[] proof = welcome.proof();
        final byte[] nodeNonce = welcome.nonce();
        final String refusal;
        if (Handshake.isAbsent(proof))
        {
            refusal = "it proves no cluster secret (start it with --secret-file naming this origin's secret file)";
        }
        else if (!Handshake.proofMatches(handshake.welcomeProof(
            node.helloNonce, nodeNonce, runtime.originId(), welcome.sessionId()), proof))
        {
            // Also a WELCOME to an earlier HELLO of ours: only the latest nonce's is taken, so that both sides key
            // the session alike.
            refusal = "its proof does not match this origin's latest HELLO (another secret, or a stale WELCOME)";
        }
        else
        {
            final boolean encrypt = Handshake.encrypts(runtime.replyChannel());
            final byte[][] keys = handshake.sessionKeys(node.helloNonce, nodeNonce);
            inbox.addSession(nodes.indexOf(node) + 1, new FrameOpener(keys[1], encrypt));
            node.outbox().protect(new FrameSealer(keys[0], welcome.sessionId(), encrypt));
            return true;
        }
        if (!node.refusalReported)
        {
            node.refusalReported = true;
            VirgoLog.error("node " + node.name() + " refused: " + refusal + "; it gets no work", null);
        }
        return false;
    }

    /**
     * Whether the message just polled came under a ready node's session keys; for a message that names a node (by
     * index, in the threadId field: HEARTBEAT, HEAP, CLASS_REQUEST), under that node's; and for one that names a moved
     * thread (FINISHED, SYNC, OUTPUT, UNCAUGHT, EXIT, STATE_REPLY), not under another node's than the one running it:
     * a node holds the secret, but it may only end, synchronize, print for or exit the program from threads it runs.
     * A thread that runs on no node is left to the message's handler, which ignores what it cannot place.
     */
    boolean isAuthenticated(final MessageType type, final long threadId)
    {
        final long senderIndex = inbox.authenticatedSessionId() - 1L;
        final NodeConnection sender = senderIndex >= 0 && senderIndex < nodes.size() ?
            nodes.get((int)senderIndex) : null;
        if (null == sender || !sender.isReady())
        {
            return false;
        }
        switch (type)
        {
            case HEARTBEAT:
            case HEAP:
            case CLASS_REQUEST:
                return threadId == senderIndex;
            case FINISHED:
            case SYNC:
            case OUTPUT:
            case UNCAUGHT:
            case EXIT:
            case STATE_REPLY:
                final NodeConnection runner = nodeRunning.apply(threadId);
                return null == runner || runner == sender;
            default:
                return true;
        }
    }
}
