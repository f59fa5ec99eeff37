package dev.virgo.runtime.node;

import dev.virgo.api.heap.SharedMemory;
import dev.virgo.api.heap.SharedMemoryException;
import dev.virgo.runtime.heap.NodeHeap;
import dev.virgo.runtime.wire.HeapEncoder;
import org.agrona.DirectBuffer;
import dev.virgo.api.VirgoException;
import dev.virgo.runtime.graph.GraphCodec;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.machine.HostName;
import dev.virgo.runtime.machine.MachineProperties;
import dev.virgo.runtime.security.FrameSealer;
import dev.virgo.runtime.transport.Outbox;
import dev.virgo.runtime.wire.ClassRequestEncoder;
import dev.virgo.runtime.wire.ErrorEncoder;
import dev.virgo.runtime.wire.ExitEncoder;
import dev.virgo.runtime.wire.FinishedEncoder;
import dev.virgo.runtime.wire.HeartbeatEncoder;
import dev.virgo.runtime.wire.OutputEncoder;
import dev.virgo.runtime.wire.StateReplyEncoder;
import dev.virgo.runtime.wire.UncaughtEncoder;
import dev.virgo.runtime.wire.WelcomeEncoder;
import org.agrona.ExpandableArrayBuffer;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One origin connected to this node: where replies go, the class bytes it sent (shared by all its threads), and
 * the threads of it that run here. Carriers send FINISHED, OUTPUT and CLASS_REQUEST themselves; the conductor
 * sends the rest.
 */
final class OriginSession
{
    /** Carriers may wait this long to send: they block only their own thread. */
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    /**
     * The conductor never waits to send: one offer, and a WELCOME, heartbeat or reply that cannot go now is dropped
     * (origins repeat HELLO until they are welcomed, and heartbeats come again). A single HELLO naming an address
     * nobody listens on must not stall the node for every other origin.
     */
    private static final long CONDUCTOR_SEND_TIMEOUT_NS = 0;
    private static final long CLASS_REQUEST_TIMEOUT_MS = 10_000;
    /** Heap control messages are few and the origin waits for them; a short wait beats a lost join. */
    private static final long HEAP_SEND_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final byte[] MISSING = new byte[0];

    private final NodeConductor node;
    private final long originId;
    private final long nodeIndex;
    private final long originPid;
    private final String originName;
    private final Outbox outbox;
    /**
     * Class files by the origin's class loader number, then class name: two of the origin's loaders may define
     * different classes of one name, and each thread's image asks for its own loader's.
     */
    private final Map<Integer, Map<String, byte[]>> classBytes = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<ClassAnswer>> classRequests = new ConcurrentHashMap<>();
    private final Map<Long, ThreadRunner> threads = new ConcurrentHashMap<>();
    private final Map<Integer, SharedImage> sharedImages = new ConcurrentHashMap<>();
    private final Map<Integer, PreparedClasses> preparedClasses = new ConcurrentHashMap<>();
    private final AtomicLong correlationIds = new AtomicLong();
    private final ThreadLocal<ExpandableArrayBuffer> sendBuffers =
        ThreadLocal.withInitial(() -> new ExpandableArrayBuffer(1024));
    private volatile long lastHeardNs;
    private volatile boolean closed;
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    /**
     * What the threads started from now on see as system properties, read-only: the origin's last PROPERTIES with the
     * node's own machine keys. Until the first PROPERTIES, the node's own. Set on the conductor, which also starts
     * threads, so a START sees every PROPERTIES the origin sent before it.
     */
    private volatile Properties propertiesBase = RoutedProperties.nodeOwn();
    /** Where this origin's moved threads send their synchronization operations on shared objects. */
    private final SyncProxy syncs;
    /** This node's member of the origin's heap, made by the origin's first HEAP message. Set on the conductor. */
    private volatile NodeHeap heap;

    OriginSession(
        final NodeConductor node,
        final long originId,
        final long nodeIndex,
        final long originPid,
        final String originName,
        final Outbox outbox,
        final long nowNs)
    {
        this.node = node;
        this.originId = originId;
        this.nodeIndex = nodeIndex;
        this.originPid = originPid;
        this.originName = originName;
        this.outbox = outbox;
        this.lastHeardNs = nowNs;
        this.syncs = new SyncProxy(originId, outbox, describe());
    }

    SyncProxy syncs()
    {
        return syncs;
    }

    /** On the conductor: a shadow answered a SYNC. */
    void onSyncReply(final long correlationId, final byte status, final byte[] state, final String message)
    {
        syncs.onReply(correlationId, status, state, message);
    }

    long originId()
    {
        return originId;
    }

    long originPid()
    {
        return originPid;
    }

    long lastHeardNs()
    {
        return lastHeardNs;
    }

    String describe()
    {
        return originName + " (" + Long.toHexString(originId) + ")";
    }

    void onHeartbeat(final long nowNs, final int runningThreads)
    {
        lastHeardNs = nowNs;
        if (runningThreads >= 0)
        {
            final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
            heartbeat.wrap(sendBuffers.get(), 0).originId(originId).threadId(nodeIndex)
                .timestampNs(nowNs)
                .runningThreads(runningThreads)
                .availableProcessors(Runtime.getRuntime().availableProcessors())
                .freeHeapBytes(Runtime.getRuntime().freeMemory())
                .systemLoadAverage(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            sendFromConductor(heartbeat.buffer(), heartbeat.encodedLength());
        }
    }

    /** The nonce of the HELLO this session's keys come from; null without a secret. */
    byte[] originNonce;
    /** The id this node gave the session: the origin writes it in its protected frames. 0 without a secret. */
    int receiveSessionId;
    /** The sealer of this node's frames to the origin, set once the WELCOME that keys it has gone out. */
    FrameSealer sealer;
    /** True once a frame from the origin was authenticated under this handshake's keys: it has our WELCOME. */
    boolean originKeyed;
    private int welcomeSessionId;
    private byte[] welcomeNonce = new byte[WelcomeEncoder.NONCE_BYTES];
    private byte[] welcomeProof = new byte[WelcomeEncoder.NONCE_BYTES * 2];

    Outbox outbox()
    {
        return outbox;
    }

    /** Sets what every WELCOME of this handshake carries (resent as is for a retransmitted HELLO). */
    void handshake(final byte[] originNonce, final int receiveSessionId, final byte[] nodeNonce, final byte[] proof)
    {
        this.originNonce = originNonce;
        this.receiveSessionId = receiveSessionId;
        this.welcomeSessionId = receiveSessionId;
        this.welcomeNonce = nodeNonce;
        this.welcomeProof = proof;
    }

    void sendWelcome()
    {
        final WelcomeEncoder welcome = new WelcomeEncoder();
        welcome.wrap(sendBuffers.get(), 0).originId(originId).threadId(nodeIndex)
            .sessionId(welcomeSessionId).nonce(welcomeNonce).proof(welcomeProof)
            .nodePid(ProcessHandle.current().pid())
            .availableProcessors(Runtime.getRuntime().availableProcessors())
            .nodeName(node.name())
            .hostName(HostName.local());
        sendFromConductor(welcome.buffer(), welcome.encodedLength());
    }

    void sendError(final int code, final String message)
    {
        final ErrorEncoder error = new ErrorEncoder();
        error.wrap(sendBuffers.get(), 0).originId(originId).code(code).message(message);
        sendFromConductor(error.buffer(), error.encodedLength());
    }

    /**
     * The classes of one of the origin's class loaders, shared by all its threads that carry no static fields: such a
     * thread has nothing of its own to put in an image, so a class is defined (and a Kryo built) once per origin, not
     * once per thread. Statics initialized on the node live here, per node JVM, as the design has them.
     */
    static final class SharedImage
    {
        final ThreadClassLoader loader;
        final GraphCodec codec;

        SharedImage(final ThreadClassLoader loader, final GraphCodec codec)
        {
            this.loader = loader;
            this.codec = codec;
        }
    }

    SharedImage sharedImage(final int loaderId)
    {
        return sharedImages.computeIfAbsent(loaderId, id -> new SharedImage(
            new ThreadClassLoader("virgo-origin-" + Long.toHexString(originId) + "-" + id,
                preparedClasses(id), ThreadRunner.class.getClassLoader()),
            new GraphCodec(node.codec().maxGraphBytes(), true)));
    }

    /** @return the classes of the origin's loader {@code loaderId} as images define them, prepared once for all. */
    PreparedClasses preparedClasses(final int loaderId)
    {
        return preparedClasses.computeIfAbsent(loaderId, id -> new PreparedClasses(
            className -> classBytes(id, className), ThreadRunner.class.getClassLoader()));
    }

    /**
     * On the conductor: the origin's system properties changed (or this is its first START here). The machine's keys
     * stay the node's whatever the origin sent; see {@link MachineProperties}.
     */
    void onProperties(final Map<String, String> travelling)
    {
        final Properties base = MachineProperties.machineOnly(RoutedProperties.nodeOwn());
        for (final Map.Entry<String, String> property : travelling.entrySet())
        {
            if (!MachineProperties.isMachineKey(property.getKey()))
            {
                base.put(property.getKey(), property.getValue());
            }
        }
        propertiesBase = base;
    }

    /** On the conductor: hands the thread to a carrier. The payload is a copy, owned by the runner from here. */
    void start(
        final long threadId,
        final String name,
        final boolean daemon,
        final int priority,
        final boolean ownHandler,
        final byte[] payload)
    {
        if (threads.containsKey(threadId))
        {
            throw new VirgoException("thread id " + threadId + " of origin " + describe() + " was already started");
        }
        final ThreadRunner runner = new ThreadRunner(this, node.codec(), threadId, name, daemon, priority, ownHandler,
            new PropertiesView(propertiesBase), payload);
        threads.put(threadId, runner);
        try
        {
            node.carriers().execute(runner);
        }
        catch (final RejectedExecutionException ex)
        {
            threads.remove(threadId);
            throw new VirgoException("node " + node.name() + " is shutting down; thread '" + name + "' refused");
        }
        VirgoLog.debug("started thread '" + name + "' (" + threadId + ") of " + describe() +
            (daemon ? " as daemon" : ""));
    }

    void interrupt(final long threadId)
    {
        final ThreadRunner runner = threads.get(threadId);
        if (null != runner)
        {
            runner.interrupt();
        }
    }

    void reportState(final long threadId, final long correlationId)
    {
        final ThreadRunner runner = threads.get(threadId);
        final Thread.State state = null != runner ? runner.state() : Thread.State.TERMINATED;
        final StateReplyEncoder reply = new StateReplyEncoder();
        reply.wrap(sendBuffers.get(), 0).originId(originId).threadId(threadId)
            .correlationId(correlationId)
            .state((byte)state.ordinal());
        sendFromConductor(reply.buffer(), reply.encodedLength());
    }

    /**
     * On a thread of this origin, while one of its images defines a class: the bytes that the origin's class loader
     * {@code loaderId} has for it, asked once per origin, loader and class, whichever thread asks (the one that caused
     * the request may have ended: a thread it started here loads classes too).
     *
     * @return the class file, or null when that loader has no such class.
     * @throws ClassNotFoundException when the origin refused the request, saying why.
     * @throws VirgoException when the origin does not answer in time, or left.
     */
    byte[] classBytes(final int loaderId, final String className) throws ClassNotFoundException
    {
        final Map<String, byte[]> loaderClasses = classBytes.computeIfAbsent(loaderId, id -> new ConcurrentHashMap<>());
        final byte[] cached = loaderClasses.get(className);
        if (null != cached)
        {
            return cached == MISSING ? null : cached;
        }
        final long correlationId = correlationIds.incrementAndGet();
        final CompletableFuture<ClassAnswer> reply = new CompletableFuture<>();
        classRequests.put(correlationId, reply);
        try
        {
            final ClassRequestEncoder request = new ClassRequestEncoder();
            request.wrap(sendBuffers.get(), 0).originId(originId).threadId(nodeIndex)
                .correlationId(correlationId)
                .loaderId(loaderId)
                .className(className);
            outbox.send(request.buffer(), 0, request.encodedLength(), SEND_TIMEOUT_NS);
            final ClassAnswer answer = reply.get(CLASS_REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (null != answer.refusal)
            {
                throw new ClassNotFoundException(className + " (origin " + describe() + " refused: " +
                    answer.refusal + ")");
            }
            loaderClasses.put(className, null == answer.bytes ? MISSING : answer.bytes);
            return answer.bytes;
        }
        catch (final TimeoutException ex)
        {
            throw new VirgoException("origin " + describe() + " did not send class " + className + " within " +
                CLASS_REQUEST_TIMEOUT_MS + " ms");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new VirgoException("interrupted while loading class " + className + " from origin " + describe());
        }
        catch (final java.util.concurrent.ExecutionException ex)
        {
            throw new VirgoException("loading class " + className + " from origin " + describe() + ": " +
                ex.getCause().getMessage(), ex.getCause());
        }
        finally
        {
            classRequests.remove(correlationId);
        }
    }

    /**
     * On the conductor: the origin's answer to a class request.
     *
     * @param bytes   the class file, or null when the loader has no such class or the request was refused.
     * @param refusal why the origin refused the request, or null when it did not.
     */
    void onClassReply(final long correlationId, final byte[] bytes, final String refusal)
    {
        final CompletableFuture<ClassAnswer> request = classRequests.get(correlationId);
        if (null != request)
        {
            request.complete(new ClassAnswer(bytes, refusal));
        }
    }

    private static final class ClassAnswer
    {
        final byte[] bytes;
        final String refusal;

        ClassAnswer(final byte[] bytes, final String refusal)
        {
            this.bytes = bytes;
            this.refusal = refusal;
        }
    }

    void sendOutput(final long threadId, final int stream, final byte[] bytes, final int length)
    {
        final OutputEncoder output = new OutputEncoder();
        output.wrap(sendBuffers.get(), 0).originId(originId).threadId(threadId)
            .stream((byte)stream)
            .bytes(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, length);
        trySend(output.buffer(), output.encodedLength());
    }

    /** On the carrier, once the thread has ended: the final state and what it threw, if anything. */
    void sendFinished(final long threadId, final byte[] finalState, final byte[] throwable)
    {
        threads.remove(threadId);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(
            finalState.length + (null != throwable ? throwable.length : 0) + 128);
        final FinishedEncoder finished = new FinishedEncoder();
        finished.wrap(buffer, 0).originId(originId).threadId(threadId)
            .outcome(null == throwable ? FinishedEncoder.OUTCOME_NORMAL : FinishedEncoder.OUTCOME_EXCEPTION)
            .finalState(finalState);
        if (null != throwable)
        {
            finished.throwable(throwable);
        }
        trySend(buffer, finished.encodedLength());
    }

    /** On a moved thread that ends the program: the origin exits with this status. */
    void sendExit(final long threadId, final int status, final boolean halt)
    {
        final ExitEncoder exit = new ExitEncoder();
        exit.wrap(sendBuffers.get(), 0).originId(originId).threadId(threadId).status(status).halt(halt);
        trySend(exit.buffer(), exit.encodedLength());
    }

    /** On a moved thread that hands an exception to its handler, which is the origin's. */
    void sendUncaught(final long threadId, final byte[] throwable)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(throwable.length + 64);
        final UncaughtEncoder uncaught = new UncaughtEncoder();
        uncaught.wrap(buffer, 0).originId(originId).threadId(threadId).throwable(throwable);
        trySend(buffer, uncaught.encodedLength());
    }

    /** Waits, ignoring interrupts, until the origin has gone and {@link #close()} ran; the interrupt is kept. */
    void awaitClosed()
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                closedLatch.await();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void sendFromConductor(final org.agrona.DirectBuffer buffer, final int length)
    {
        send(buffer, length, CONDUCTOR_SEND_TIMEOUT_NS);
    }

    private void trySend(final org.agrona.DirectBuffer buffer, final int length)
    {
        send(buffer, length, SEND_TIMEOUT_NS);
    }

    private void send(final org.agrona.DirectBuffer buffer, final int length, final long timeoutNs)
    {
        if (closed)
        {
            return;
        }
        try
        {
            outbox.send(buffer, 0, length, timeoutNs);
        }
        catch (final VirgoException ex)
        {
            if (timeoutNs == CONDUCTOR_SEND_TIMEOUT_NS)
            {
                VirgoLog.debug("to origin " + describe() + ", dropped: " + ex.getMessage());
            }
            else
            {
                VirgoLog.warn("to origin " + describe() + ": " + ex.getMessage());
            }
        }
    }

    /** On the conductor: a HEAP message from the origin, for this node's member of its heap. */
    void onHeapControl(final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            return;
        }
        if (null == heap)
        {
            heap = node.heapFactory().newNodeHeap(node.heapContext(), (ignored, b, o, l) -> sendHeapControl(b, o, l));
        }
        heap.onControl(buffer, offset, length);
    }

    private void sendHeapControl(final DirectBuffer buffer, final int offset, final int length)
    {
        final ExpandableArrayBuffer message = new ExpandableArrayBuffer(length + 64);
        final HeapEncoder encoder = new HeapEncoder();
        encoder.wrap(message, 0).originId(originId).threadId(nodeIndex).payload(buffer, offset, length);
        send(message, encoder.encodedLength(), HEAP_SEND_TIMEOUT_NS);
    }

    /** {@link dev.virgo.api.heap.SharedHeap#memory()} for this origin's threads on this node. */
    SharedMemory heapMemory()
    {
        final NodeHeap current = heap;
        if (null == current)
        {
            throw new SharedMemoryException("node " + node.name() + " is not a member of the shared heap of origin " +
                describe() + ": the origin opened its heap before this node was ready, or has not opened it");
        }
        return current.memory();
    }

    /** The origin is gone or said goodbye: its threads are interrupted, and its classes become unreachable. */
    void close()
    {
        closed = true;
        closedLatch.countDown();
        for (final ThreadRunner runner : threads.values())
        {
            runner.interrupt();
        }
        for (final CompletableFuture<ClassAnswer> request : classRequests.values())
        {
            request.completeExceptionally(new VirgoException("origin " + describe() + " left"));
        }
        syncs.close();
        classBytes.clear();
        sharedImages.clear();
        preparedClasses.clear();
        final NodeHeap current = heap;
        if (null != current)
        {
            current.close(); // its copies of pages go, and the pages homed here are gone for the others
        }
        outbox.close();
    }
}
