package dev.virgo.runtime.origin;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.config.VirgoConfiguration;
import dev.virgo.runtime.log.LogThrottle;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.security.Handshake;
import dev.virgo.runtime.transport.IdleStrategies;
import dev.virgo.runtime.transport.Inbox;
import dev.virgo.runtime.transport.Outbox;
import dev.virgo.runtime.wire.ByeEncoder;
import dev.virgo.runtime.wire.ClassReplyEncoder;
import dev.virgo.runtime.wire.ClassRequestDecoder;
import dev.virgo.runtime.wire.ErrorDecoder;
import dev.virgo.runtime.wire.ExitDecoder;
import dev.virgo.runtime.wire.FinishedDecoder;
import dev.virgo.runtime.wire.FinishedEncoder;
import dev.virgo.runtime.wire.HeapDecoder;
import dev.virgo.runtime.wire.HeartbeatEncoder;
import dev.virgo.runtime.wire.HelloEncoder;
import dev.virgo.runtime.wire.InterruptEncoder;
import dev.virgo.runtime.wire.MalformedMessageException;
import dev.virgo.runtime.wire.MessageEncoder;
import dev.virgo.runtime.wire.MessageHeaderDecoder;
import dev.virgo.runtime.wire.MessageType;
import dev.virgo.runtime.wire.OutputDecoder;
import dev.virgo.runtime.wire.StartEncoder;
import dev.virgo.runtime.wire.StateReplyDecoder;
import dev.virgo.runtime.wire.StateRequestEncoder;
import dev.virgo.runtime.wire.UncaughtDecoder;
import dev.virgo.runtime.wire.SyncDecoder;
import dev.virgo.runtime.wire.WelcomeDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The origin's single thread for everything that arrives from nodes, and for its own duties: saying HELLO until
 * a node answers, heartbeats, and noticing a node that went silent. Application threads send START, INTERRUPT
 * and STATE_REQUEST themselves (an {@link Outbox} is thread-safe) so that {@code start()} costs no hand-off.
 */
final class OriginConductor
{
    /** Application threads may wait this long to send START, INTERRUPT or STATE_REQUEST. */
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    /** The conductor makes one offer for HELLO and heartbeats: they are repeated, and it must not stall. */
    private static final long ONE_OFFER_NS = 0;
    /** A class reply (a node thread waits for it) and BYE (local nodes exit on it) are worth a short wait. */
    private static final long SHORT_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long HELLO_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long STATE_QUERY_TIMEOUT_MS = 1_000;
    private static final int FRAGMENT_LIMIT = 32;

    private final OriginRuntime runtime;
    private final Inbox inbox;
    private final List<NodeConnection> nodes;
    private final NanoClock clock;
    private final IdleStrategy idle;
    private final long heartbeatIntervalNs;
    private final long nodeTimeoutNs;
    private final ExecutorService completions = Executors.newSingleThreadExecutor(r ->
    {
        final Thread thread = new Thread(r, "virgo-origin-completion");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Long, CompletableFuture<Thread.State>> stateQueries = new ConcurrentHashMap<>();
    private final AtomicLong correlationIds = new AtomicLong();
    private final ThreadLocal<ExpandableArrayBuffer> sendBuffers =
        ThreadLocal.withInitial(() -> new ExpandableArrayBuffer(256));
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final WelcomeDecoder welcome = new WelcomeDecoder();
    private final FinishedDecoder finished = new FinishedDecoder();
    private final ClassRequestDecoder classRequest = new ClassRequestDecoder();
    private final OutputDecoder output = new OutputDecoder();
    private final StateReplyDecoder stateReply = new StateReplyDecoder();
    private final ErrorDecoder error = new ErrorDecoder();
    private final HeapDecoder heapControl = new HeapDecoder();
    private final ExitDecoder exit = new ExitDecoder();
    private final UncaughtDecoder uncaught = new UncaughtDecoder();
    private final SyncDecoder sync = new SyncDecoder();
    private final ClassReplyEncoder classReply = new ClassReplyEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final ExpandableArrayBuffer conductorBuffer = new ExpandableArrayBuffer(4096);
    private volatile boolean running = true;
    private long lastHeartbeatNs;
    private long malformedCount;
    /** Refused and malformed messages come from the network: a flood of them writes a bounded number of lines. */
    private final LogThrottle refusals = LogThrottle.warnings("refused messages");
    /** Null without a secret (nodes= on loopback): then nothing is proved and frames are plain. */
    private final NodeHandshakes handshakes;

    OriginConductor(
        final OriginRuntime runtime,
        final Inbox inbox,
        final List<NodeConnection> nodes,
        final NanoClock clock,
        final VirgoConfiguration configuration)
    {
        this.runtime = runtime;
        this.inbox = inbox;
        this.nodes = nodes;
        this.clock = clock;
        this.idle = IdleStrategies.forName(configuration.idle());
        this.heartbeatIntervalNs = TimeUnit.MILLISECONDS.toNanos(configuration.heartbeatIntervalMs());
        this.nodeTimeoutNs = TimeUnit.MILLISECONDS.toNanos(configuration.nodeTimeoutMs());
        this.handshakes = null == runtime.secret() ? null :
            new NodeHandshakes(new Handshake(runtime.secret()), runtime, inbox, nodes, threadId ->
            {
                final RemoteThread remote = runtime.running(threadId);
                return null == remote ? null : remote.node;
            });
    }

    void run()
    {
        while (running)
        {
            try
            {
                idle.idle(doWork());
            }
            catch (final RuntimeException | Error ex)
            {
                // An error in one message must not stop the origin's only thread for nodes: every moved thread's
                // completion, heartbeats and class requests go through it.
                VirgoLog.error("origin conductor: " + ex, ex);
            }
        }
    }

    void stop()
    {
        running = false;
    }

    int doWork()
    {
        int work = inbox.poll(this::onMessage, FRAGMENT_LIMIT);
        work += refusals.poll() + runtime.pollTransportErrorLog();
        final long nowNs = clock.nanoTime();
        for (final NodeConnection node : nodes)
        {
            work += duties(node, nowNs);
        }
        if (nowNs - lastHeartbeatNs >= heartbeatIntervalNs)
        {
            lastHeartbeatNs = nowNs;
        }
        return work;
    }

    private int duties(final NodeConnection node, final long nowNs)
    {
        if (node.isLost())
        {
            return 0;
        }
        if (null != node.process() && !node.process().isAlive())
        {
            nodeLost(node, "its JVM exited with code " + node.process().exitValue());
            return 1;
        }
        if (!node.isReady())
        {
            if (nowNs - node.lastHelloNs() >= HELLO_INTERVAL_NS && node.outbox().isConnected())
            {
                node.helloSent(nowNs);
                sendHello(node);
                return 1;
            }
            return 0;
        }
        if (nowNs - node.lastHeardNs() > nodeTimeoutNs)
        {
            nodeLost(node, "no heartbeat for " + TimeUnit.NANOSECONDS.toMillis(nowNs - node.lastHeardNs()) + " ms");
            return 1;
        }
        if (nowNs - lastHeartbeatNs >= heartbeatIntervalNs)
        {
            heartbeat.wrap(conductorBuffer, 0).originId(runtime.originId()).threadId(nodes.indexOf(node))
                .timestampNs(nowNs)
                .runningThreads(node.threadsInFlight())
                .availableProcessors(Runtime.getRuntime().availableProcessors())
                .freeHeapBytes(Runtime.getRuntime().freeMemory())
                .systemLoadAverage(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            trySend(node, heartbeat, ONE_OFFER_NS);
            return 1;
        }
        return 0;
    }

    private void sendHello(final NodeConnection node)
    {
        final HelloEncoder hello = new HelloEncoder();
        final int index = nodes.indexOf(node);
        hello.wrap(conductorBuffer, 0).originId(runtime.originId()).threadId(index)
            .originPid(ProcessHandle.current().pid())
            .replyStreamId(runtime.replyStreamId())
            .replyChannel(runtime.replyChannel())
            .originName(ManagementFactory.getRuntimeMXBean().getName());
        if (null != handshakes)
        {
            handshakes.prove(hello, node, index);
        }
        trySend(node, hello, ONE_OFFER_NS);
    }

    private void trySend(final NodeConnection node, final MessageEncoder<?> encoder, final long timeoutNs)
    {
        try
        {
            node.outbox().send(encoder.buffer(), encoder.offset(), encoder.encodedLength(), timeoutNs);
        }
        catch (final VirgoException ex)
        {
            VirgoLog.debug("to " + node.name() + ": " + ex.getMessage());
        }
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            header.wrap(buffer, offset, length);
            if (header.originId() != runtime.originId())
            {
                return;
            }
            if (null != handshakes && header.type() != MessageType.WELCOME &&
                !handshakes.isAuthenticated(header.type(), header.threadId()))
            {
                malformedCount++;
                refusals.log("refused message #" + malformedCount + ": " + header.type() + " not authenticated " +
                    "under the session of the node it names or that runs the thread it names (frame session " +
                    inbox.authenticatedSessionId() + ")");
                return;
            }
            switch (header.type())
            {
                case WELCOME: onWelcome(buffer, offset, length); break;
                case HEARTBEAT: onHeartbeat(header.threadId()); break;
                case FINISHED: onFinished(buffer, offset, length); break;
                case CLASS_REQUEST: onClassRequest(buffer, offset, length); break;
                case OUTPUT: onOutput(buffer, offset, length); break;
                case STATE_REPLY: onStateReply(buffer, offset, length); break;
                case ERROR: onError(buffer, offset, length); break;
                case EXIT: onExit(buffer, offset, length); break;
                case UNCAUGHT: onUncaught(buffer, offset, length); break;
                case SYNC: onSync(buffer, offset, length); break;
                case HEAP:
                    heapControl.wrap(buffer, offset, length);
                    if (null != nodeByIndex(heapControl.threadId()))
                    {
                        runtime.onHeapControl((int)heapControl.threadId(), heapControl.buffer(),
                            heapControl.payloadOffset(), heapControl.payloadLength());
                    }
                    break;
                default:
                    throw new MalformedMessageException(header.type() + " is not a message an origin accepts");
            }
        }
        catch (final MalformedMessageException ex)
        {
            malformedCount++;
            refusals.log("dropped malformed message #" + malformedCount + ": " + ex.getMessage());
        }
    }

    /** Nodes put their index in the threadId field of WELCOME, HEARTBEAT, HEAP and CLASS_REQUEST; see NodeConductor. */
    private NodeConnection nodeByIndex(final long index)
    {
        return index >= 0 && index < nodes.size() ? nodes.get((int)index) : null;
    }

    private void onWelcome(final DirectBuffer buffer, final int offset, final int length)
    {
        welcome.wrap(buffer, offset, length);
        final NodeConnection node = nodeByIndex(welcome.threadId());
        if (null != node && !node.isReady() && !node.isLost())
        {
            if (null != handshakes && !handshakes.accept(node, welcome))
            {
                return;
            }
            node.onWelcome(welcome.nodeName(), welcome.nodePid(), welcome.availableProcessors(), welcome.hostName(),
                clock.nanoTime());
            VirgoLog.debug("node ready: " + node);
            runtime.nodesChanged();
        }
    }

    private void onHeartbeat(final long nodeIndex)
    {
        final NodeConnection node = nodeByIndex(nodeIndex);
        if (null != node)
        {
            node.onHeard(clock.nanoTime());
        }
    }

    /** A moved thread finished on its node: its write-back and handler run on the completion thread. */
    void onFinished(final DirectBuffer buffer, final int offset, final int length)
    {
        finished.wrap(buffer, offset, length);
        final RemoteThread remote = runtime.running(finished.threadId());
        if (null == remote)
        {
            return;
        }
        remote.node.onHeard(clock.nanoTime());
        final byte[] finalState;
        final byte[] throwable;
        try
        {
            finalState = finished.finalState();
            throwable = finished.outcome() == FinishedEncoder.OUTCOME_EXCEPTION ? finished.throwable() : null;
        }
        catch (final OutOfMemoryError ex)
        {
            final String what = "the final state of moved " + remote + " (" + finished.finalStateLength() +
                " bytes) does not fit in this heap";
            endAfter(remote, () -> deliverUncaught(remote, new VirgoException(what, ex)));
            return;
        }
        endAfter(remote, () -> writeBackAndDeliver(remote, finalState, throwable));
    }

    /**
     * Ends a moved thread on the completion thread: runs {@code work} (the write-back, the handler), then, whatever
     * it threw, lets join() return. What {@code work} throws reaches the thread's uncaught-exception handler. When
     * the completion thread is gone (the origin is closing), the thread is ended here, on the caller's thread, rather
     * than never.
     */
    private void endAfter(final RemoteThread remote, final Runnable work)
    {
        final Runnable completion = () ->
        {
            try
            {
                work.run();
            }
            catch (final Throwable ex)
            {
                deliverUncaught(remote, new VirgoException(
                    "completing moved " + remote + " failed: " + ex, ex));
            }
            finally
            {
                finish(remote);
            }
        };
        try
        {
            completions.execute(completion);
        }
        catch (final RejectedExecutionException ex)
        {
            completion.run();
        }
    }

    /**
     * The write-back, then what the thread threw to its handler. Each step that fails is reported to the handler on
     * its own, naming the thread and the step, and the next still runs: a thread whose writes could not be applied
     * still reports what it threw.
     */
    private void writeBackAndDeliver(final RemoteThread remote, final byte[] finalState, final byte[] throwable)
    {
        try
        {
            final ThreadShadows shadows = remote.shadowsIfAny();
            if (null != shadows)
            {
                if (finalState.length > 0)
                {
                    shadows.release(finalState); // against what was last exchanged, statics included
                }
            }
            else
            {
                if (finalState.length > 0)
                {
                    remote.snapshot.mergeBack(finalState, remote.toString());
                }
                for (int i = 0; i < remote.statics.size(); i++)
                {
                    remote.statics.get(i).writeChanged(remote.staticsAtStart[i], remote.staticValues[i]);
                }
            }
        }
        catch (final Throwable ex)
        {
            deliverUncaught(remote, new VirgoException("the writes of moved " + remote +
                " could not be applied here: " + ex, ex));
        }
        if (null != throwable)
        {
            final Throwable thrown;
            try
            {
                thrown = runtime.codec().decodeThrowable(throwable, remote.loader, remote.snapshot.classOffer());
                thrown.addSuppressed(new RemoteThreadNote(
                    "thrown in moved thread '" + remote.thread.getName() + "' on " + remote.node.description()));
            }
            catch (final Throwable ex)
            {
                deliverUncaught(remote, new VirgoException("moved " + remote + " ended with an exception that " +
                    "cannot be rebuilt here (" + throwable.length + " bytes): " + ex, ex));
                return;
            }
            deliverUncaught(remote, thrown);
        }
    }

    /** Never throws: a moved thread that is over always ends, so its joiners return. */
    private void finish(final RemoteThread remote)
    {
        try
        {
            final ThreadShadows shadows = remote.shadowsIfAny();
            if (null != shadows)
            {
                shadows.end();
            }
            runtime.ended(remote);
        }
        catch (final Throwable ex)
        {
            VirgoLog.error("while ending moved " + remote, ex);
        }
        finally
        {
            remote.markTerminated();
        }
    }

    private static void deliverUncaught(final RemoteThread remote, final Throwable thrown)
    {
        try
        {
            remote.thread.getUncaughtExceptionHandler().uncaughtException(remote.thread, thrown);
        }
        catch (final Throwable ex)
        {
            VirgoLog.error("the uncaught-exception handler of '" + remote.thread.getName() + "' threw", ex);
        }
    }

    /**
     * A synchronization operation of a moved thread on a shared object: its shadow performs it (see {@link Shadow}).
     * A SYNC for a thread that is not running on the node it came from is dropped.
     */
    private void onSync(final DirectBuffer buffer, final int offset, final int length)
    {
        sync.wrap(buffer, offset, length);
        final RemoteThread remote = runtime.running(sync.threadId());
        if (null == remote)
        {
            return;
        }
        remote.node.onHeard(clock.nanoTime());
        remote.shadows(runtime.originId()).submit(new SyncRequest(sync));
    }

    void nodeLost(final NodeConnection node, final String reason)
    {
        node.markLost();
        runtime.nodesChanged();
        runtime.heapNodeLost(nodes.indexOf(node));
        VirgoLog.warn("lost " + node.description() + ": " + reason);
        for (final RemoteThread remote : runtime.runningOn(node))
        {
            endAfter(remote, () -> deliverUncaught(remote, new NodeLostException("moved thread '" +
                remote.thread.getName() + "' did not finish: " + node.description() + " was lost (" + reason + ")")));
        }
    }

    /**
     * Answers every request, whether or not the thread that caused it still runs (a thread it started on the node
     * may load classes long after): from the class loader the request names, or with a refusal saying why. Only the
     * classes offered to the node are served ({@link ServedClasses}).
     */
    private void onClassRequest(final DirectBuffer buffer, final int offset, final int length)
    {
        classRequest.wrap(buffer, offset, length);
        final NodeConnection node = nodeByIndex(classRequest.threadId());
        if (null == node)
        {
            throw new MalformedMessageException("CLASS_REQUEST from unknown node index " + classRequest.threadId());
        }
        node.onHeard(clock.nanoTime());
        final String className = classRequest.className();
        final int loaderId = classRequest.loaderId();
        classReply.wrap(conductorBuffer, 0).originId(runtime.originId()).threadId(classRequest.threadId())
            .correlationId(classRequest.correlationId());
        final String refusal = ClassFiles.refusal(className);
        final ClassLoader loader = null == refusal ? runtime.loader(loaderId) : null;
        final String notOffered = null == loader ? null : node.served().refusal(loader, className);
        if (null != refusal)
        {
            classReply.status(ClassReplyEncoder.STATUS_REFUSED).reason(refusal);
        }
        else if (null == loader)
        {
            classReply.status(ClassReplyEncoder.STATUS_REFUSED).reason("the origin has no class loader " + loaderId +
                " (unknown, or the program dropped it) to load " + className + " from");
        }
        else if (null != notOffered)
        {
            classReply.status(ClassReplyEncoder.STATUS_REFUSED).reason(notOffered);
        }
        else
        {
            try
            {
                final byte[] bytes = ClassFiles.read(loader, className);
                if (null != bytes)
                {
                    classReply.status(ClassReplyEncoder.STATUS_FOUND).classBytes(bytes);
                }
                else
                {
                    classReply.status(ClassReplyEncoder.STATUS_NOT_FOUND);
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                classReply.status(ClassReplyEncoder.STATUS_REFUSED).reason("reading " + className +
                    " from class loader " + loaderId + " (" + loader + ") failed: " + ex);
            }
        }
        trySend(node, classReply, SHORT_WAIT_NS);
    }

    private void onOutput(final DirectBuffer buffer, final int offset, final int length)
    {
        output.wrap(buffer, offset, length);
        final PrintStream target = output.stream() == 2 ? System.err : System.out;
        final byte[] bytes = output.bytes();
        target.write(bytes, 0, bytes.length);
        target.flush();
    }

    private void onStateReply(final DirectBuffer buffer, final int offset, final int length)
    {
        stateReply.wrap(buffer, offset, length);
        final CompletableFuture<Thread.State> query = stateQueries.remove(stateReply.correlationId());
        if (null != query)
        {
            query.complete(stateReply.threadState());
        }
    }

    private void onError(final DirectBuffer buffer, final int offset, final int length)
    {
        error.wrap(buffer, offset, length);
        VirgoLog.warn("a node reported error " + error.code() + ": " + error.message());
    }

    /** A moved thread called System.exit, Runtime.exit or Runtime.halt: the program ends here, with that status. */
    private void onExit(final DirectBuffer buffer, final int offset, final int length)
    {
        exit.wrap(buffer, offset, length);
        final RemoteThread remote = runtime.running(exit.threadId());
        if (null == remote)
        {
            VirgoLog.warn("a node asked to exit with status " + exit.status() + " for thread id " + exit.threadId() +
                ", which does not run there: ignored");
            return;
        }
        runtime.exitFromNode(remote, exit.status(), exit.halt());
    }

    /** A moved thread handed an exception to its own handler, which is here: called in order with FINISHED. */
    private void onUncaught(final DirectBuffer buffer, final int offset, final int length)
    {
        uncaught.wrap(buffer, offset, length);
        final RemoteThread remote = runtime.running(uncaught.threadId());
        if (null == remote)
        {
            return;
        }
        final byte[] bytes = uncaught.throwable();
        completions.execute(() ->
        {
            try
            {
                final Throwable thrown =
                    runtime.codec().decodeThrowable(bytes, remote.loader, remote.snapshot.classOffer());
                thrown.addSuppressed(new RemoteThreadNote("handed to its handler by moved thread '" +
                    remote.thread.getName() + "' on " + remote.node.description()));
                deliverUncaught(remote, thrown);
            }
            catch (final RuntimeException ex)
            {
                VirgoLog.error("cannot deliver what " + remote + " handed to its handler", ex);
            }
        });
    }

    void sendStart(final RemoteThread remote)
    {
        final byte[] snapshot = remote.startPayload;
        remote.startPayload = null;
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(snapshot.length + 256);
        final StartEncoder start = new StartEncoder();
        start.wrap(buffer, 0).originId(runtime.originId()).threadId(remote.threadId)
            .daemon(remote.thread.isDaemon())
            .priority(remote.thread.getPriority())
            .ownHandler(remote.thread.getUncaughtExceptionHandler() != remote.thread.getThreadGroup())
            .threadName(remote.thread.getName())
            .snapshot(snapshot);
        remote.node.outbox().send(buffer, 0, start.encodedLength(), SEND_TIMEOUT_NS);
    }

    void sendInterrupt(final RemoteThread remote)
    {
        final InterruptEncoder interrupt = new InterruptEncoder();
        interrupt.wrap(sendBuffers.get(), 0).originId(runtime.originId()).threadId(remote.threadId);
        remote.node.outbox().send(interrupt.buffer(), 0, interrupt.encodedLength(), SEND_TIMEOUT_NS);
    }

    /** Asks the node what its thread is doing; RUNNABLE when it does not say within a second. */
    Thread.State queryState(final RemoteThread remote)
    {
        final long correlationId = correlationIds.incrementAndGet();
        final CompletableFuture<Thread.State> query = new CompletableFuture<>();
        stateQueries.put(correlationId, query);
        try
        {
            final StateRequestEncoder request = new StateRequestEncoder();
            request.wrap(sendBuffers.get(), 0).originId(runtime.originId()).threadId(remote.threadId)
                .correlationId(correlationId);
            remote.node.outbox().send(request.buffer(), 0, request.encodedLength(), SEND_TIMEOUT_NS);
            final Thread.State state = query.get(STATE_QUERY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return remote.isAlive() ? state : Thread.State.TERMINATED;
        }
        catch (final Exception ex)
        {
            if (ex instanceof InterruptedException)
            {
                Thread.currentThread().interrupt();
            }
            return remote.isAlive() ? Thread.State.RUNNABLE : Thread.State.TERMINATED;
        }
        finally
        {
            stateQueries.remove(correlationId);
        }
    }

    /** BYE to every node, so they stop this origin's threads (and local nodes exit). */
    void sayGoodbye()
    {
        final ByeEncoder bye = new ByeEncoder();
        bye.wrap(conductorBuffer, 0).originId(runtime.originId());
        for (final NodeConnection node : nodes)
        {
            if (!node.isLost())
            {
                trySend(node, bye, SHORT_WAIT_NS);
            }
        }
        completions.shutdown();
    }

    /** After {@link #sayGoodbye()}: waits for the completions already handed over, so none is cut short. */
    void awaitCompletions(final long timeoutMs) throws InterruptedException
    {
        completions.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Added as a suppressed exception to what a moved thread threw, so the stack trace names the node. */
    static final class RemoteThreadNote extends VirgoException
    {
        private static final long serialVersionUID = 1L;

        RemoteThreadNote(final String message)
        {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace()
        {
            return this;
        }
    }
}
