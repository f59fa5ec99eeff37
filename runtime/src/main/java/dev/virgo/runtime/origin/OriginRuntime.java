package dev.virgo.runtime.origin;

import dev.virgo.api.VirgoException;
import dev.virgo.api.heap.SharedHeap;
import dev.virgo.api.heap.SharedMemory;
import dev.virgo.runtime.classes.ThreadRoots;
import dev.virgo.runtime.config.VirgoConfiguration;
import dev.virgo.runtime.graph.GraphCodec;
import dev.virgo.runtime.graph.Snapshot;
import dev.virgo.runtime.graph.UnshippableGraphException;
import dev.virgo.runtime.log.LogThrottle;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.security.ClusterSecret;
import dev.virgo.runtime.transport.AeronTransport;
import dev.virgo.runtime.transport.Inbox;
import dev.virgo.runtime.transport.TransportSettings;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The origin: the application's JVM, whose chosen threads run on nodes.
 *
 * <p>{@link #start(Thread)} is called by the bootstrap dispatcher on the application's thread: it decides whether
 * the thread moves, takes the snapshot, picks a node and sends START, all before {@code start()} returns. Everything
 * that arrives from nodes is handled by the {@link OriginConductor}'s single thread; the write-back and the
 * uncaught-exception handler of a finished thread run on a completion thread so a slow handler cannot stall
 * the conductor.
 */
public final class OriginRuntime implements AutoCloseable
{
    /** The IPC stream the origin receives on, and the first of the local nodes' streams. */
    static final int ORIGIN_STREAM_ID = 10;
    static final int FIRST_LOCAL_NODE_STREAM_ID = 101;
    /** The stream a standalone node receives on, on its UDP endpoint. */
    public static final int NODE_STREAM_ID = 1;
    /**
     * The stream the origin's shared-heap member receives on (IPC, or an ephemeral UDP port); a local node's member
     * receives on this plus its own stream id, so every member of an embedded heap has its own IPC stream.
     */
    public static final int HEAP_STREAM_ID = 1000;

    private final VirgoConfiguration configuration;
    private final long originId = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE | 1;
    /**
     * Every frame the inbox drops (forged, malformed, of an unknown session) reaches the transport's error handler,
     * from anyone who can reach the inbox's port: a flood writes a bounded number of lines, without stack traces.
     */
    private final LogThrottle transportErrors = new LogThrottle("transport errors", LogThrottle.DEFAULT_BURST_LINES,
        LogThrottle.DEFAULT_WINDOW_NS, System::nanoTime, line -> VirgoLog.error(line, null));
    private final ThreadSelector selector;
    private final StaticFields staticFields = new StaticFields();
    private final GraphCodec codec;
    private final KeepAlive keepAlive = new KeepAlive();
    private final MovedThreads movedThreads;
    private final LocalNodeLauncher launcher = new LocalNodeLauncher();
    private final List<NodeConnection> nodes = new ArrayList<>();
    private final Set<Class<?>> warnedClasses = ConcurrentHashMap.newKeySet();
    private final ClassLoaderIds loaderIds = new ClassLoaderIds();
    private final SharedStateCheck sharedState = new SharedStateCheck();
    private final NanoClock clock;
    private volatile boolean closed;
    /** True while the transport starts in the background; starters wait for it rather than fall back. */
    private volatile boolean opening;
    private Thread opener;
    private AeronTransport transport;
    private volatile ClusterSecret secret;
    private Inbox inbox;
    private OriginConductor conductor;
    private Thread conductorThread;
    private final NodePlacement placement;
    private final OriginHeapMembership heapMembership;
    private final OriginProperties properties = new OriginProperties(originId);
    private final AtomicBoolean exiting = new AtomicBoolean();

    private OriginRuntime(final VirgoConfiguration configuration, final NanoClock clock)
    {
        this.configuration = configuration;
        this.clock = clock;
        this.selector = new ThreadSelector(configuration.offloadPatterns());
        this.codec = new GraphCodec(configuration.maxGraphBytes());
        // The conductor is created in open(), after this: the registry reads the field when it needs it.
        this.movedThreads = new MovedThreads(keepAlive, () -> conductor);
        this.placement = new NodePlacement(configuration, nodes, clock, () -> opening, () -> closed);
        this.heapMembership = new OriginHeapMembership(configuration, originId, nodes, clock,
            () -> opening, () -> closed, () -> transport, placement::describeNodes);
    }

    /**
     * Starts the transport and connects to the nodes: with no {@code nodes=} option, launches
     * {@code localNodes} node JVMs on this machine that share this JVM's media driver. Returns at once: the
     * transport starts on a background thread, so the application's {@code main} does not wait for it (it takes a
     * few hundred milliseconds), and the first {@code start()} that needs a node waits up to
     * {@code nodeReadyTimeoutMs}. With nowhere to move threads to ({@code localNodes=0} and no {@code nodes=}),
     * no transport is started at all.
     */
    public static OriginRuntime launch(final VirgoConfiguration configuration, final Path virgoJar)
    {
        final OriginRuntime runtime = new OriginRuntime(configuration, new SystemNanoClock());
        SharedHeap.install(runtime::sharedMemory);
        if (configuration.nodes().isEmpty() && configuration.localNodes() == 0)
        {
            return runtime;
        }
        runtime.opening = true;
        final Thread opener = new Thread(() -> runtime.openInBackground(virgoJar), "virgo-origin-start");
        opener.setDaemon(true);
        runtime.opener = opener;
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "virgo-shutdown"));
        opener.start();
        return runtime;
    }

    private void onTransportError(final Throwable ex)
    {
        if (transportErrors.log("transport: " + ex.getMessage()) && VirgoLog.isDebug())
        {
            VirgoLog.error("transport error, stack trace", ex);
        }
    }

    /** From the conductor's duty cycle: the count of transport errors not shown, once their window is over. */
    int pollTransportErrorLog()
    {
        return transportErrors.poll();
    }

    private void openInBackground(final Path virgoJar)
    {
        try
        {
            open(virgoJar);
        }
        catch (final RuntimeException ex)
        {
            VirgoLog.error("cannot start the transport, threads run locally: " + ex.getMessage(), ex);
        }
        finally
        {
            opening = false;
            nodesChanged();
        }
    }

    private void open(final Path virgoJar)
    {
        final boolean embedded = configuration.nodes().isEmpty();
        final ClusterSecret configured = ClusterSecret.resolve(
            configuration.secretFile(), System.getenv(ClusterSecret.SECRET_FILE_ENV));
        // The embedded default authenticates its own nodes with a fresh secret per run, in an owner-only file.
        secret = null != configured || !embedded ? configured :
            ClusterSecret.createEphemeral(Path.of(System.getProperty("java.io.tmpdir")));
        final String aeronDir = new File(TransportSettings.defaultAeronDir()).getParent() + File.separator +
            "virgo-origin-" + ProcessHandle.current().pid() + "-" + Long.toHexString(originId);
        transport = AeronTransport.launchEmbedded(new TransportSettings()
            .aeronDir(aeronDir)
            .idleStrategy(configuration.idle())
            .errorHandler(this::onTransportError));
        inbox = embedded ?
            transport.openInbox("aeron:ipc", ORIGIN_STREAM_ID) :
            transport.openInbox("aeron:udp?endpoint=127.0.0.1:0", ORIGIN_STREAM_ID);

        if (embedded)
        {
            for (int i = 0; i < configuration.localNodes(); i++)
            {
                final String name = "node-" + (i + 1);
                final int streamId = FIRST_LOCAL_NODE_STREAM_ID + i;
                final Process process = launcher.launch(
                    virgoJar, transport.aeronDir(), streamId, name, configuration.idle(), configuration.nodeJvmArgs(),
                    secret.path());
                nodes.add(new NodeConnection(name, transport.openOutbox("aeron:ipc", streamId), process));
            }
        }
        else
        {
            for (final String address : configuration.nodes())
            {
                nodes.add(new NodeConnection(
                    address, transport.openOutbox("aeron:udp?endpoint=" + address, NODE_STREAM_ID), null));
            }
        }

        conductor = new OriginConductor(this, inbox, nodes, clock, configuration);
        conductorThread = new Thread(conductor::run, "virgo-origin-conductor");
        conductorThread.setDaemon(true);
        conductorThread.start();
        VirgoLog.debug("origin " + Long.toHexString(originId) + " started: " + configuration);
    }

    /** @return the cluster secret this origin proves, or null (nodes= without a secret: plain frames). */
    ClusterSecret secret()
    {
        return secret;
    }

    long originId()
    {
        return originId;
    }

    GraphCodec codec()
    {
        return codec;
    }

    String replyChannel()
    {
        return inbox.resolvedChannel();
    }

    int replyStreamId()
    {
        return inbox.streamId();
    }

    /** @return true when classes of this name were chosen by {@code offload=} (so their lambdas are prepared). */
    public boolean isChosenByName(final String className)
    {
        return selector.isChosenByName(className);
    }

    /**
     * Moves the thread if it was chosen and a node can take it.
     *
     * @return true when Virgo took the thread (the JDK's start must not run), false to start it locally.
     * @throws VirgoException when the thread was chosen, cannot move, and {@code fallback=fail}.
     */
    public boolean start(final Thread thread)
    {
        if (closed)
        {
            return false;
        }
        final Object root = selector.rootToMove(thread);
        if (null == root)
        {
            return false;
        }
        if (movedThreads.contains(thread))
        {
            throw new IllegalThreadStateException("thread '" + thread.getName() + "' was already started");
        }

        final SharedStateCheck.ThreadCode code =
            sharedState.ofCode(root, root == thread ? selector.targetOf(thread) : null);
        if (null != code.refusal)
        {
            return fallBack(thread, root, code.refusal);
        }
        final List<Class<?>> rootClasses = new ArrayList<>();
        rootClasses.add(root.getClass());
        if (root != thread && thread.getClass() != Thread.class)
        {
            rootClasses.add(thread.getClass());
        }
        final List<StaticFields.ClassStatics> statics = new ArrayList<>();
        final Map<Class<?>, String> leftOut = new HashMap<>();
        for (final StaticFields.ClassStatics classStatics : staticFields.forRoots(rootClasses, code::usesStaticsOf))
        {
            if (classStatics.onlyLoggers())
            {
                if (classStatics.firstTimeStaying())
                {
                    VirgoLog.debug("statics of " + classStatics.type.getName() + " stay per node: they are all " +
                        "loggers, which its static initializer creates there");
                }
                continue;
            }
            final String uncopyable = classStatics.uncopyable();
            if (null != uncopyable && !code.usesStaticsOf(classStatics.type))
            {
                leftOut.put(classStatics.type, uncopyable);
                continue;
            }
            statics.add(classStatics);
        }

        final NodeConnection node = placement.pickNode();
        if (null == node)
        {
            return fallBack(thread, root, "no node is available (" + placement.describeNodes() + ")");
        }

        final ClassLoader loader = root.getClass().getClassLoader();
        Object[][] values;
        Snapshot snapshot;
        while (true)
        {
            values = new Object[statics.size()][];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = statics.get(i).read();
            }
            try
            {
                snapshot = codec.snapshot(ThreadRoots.compose(root, values), loader);
                break;
            }
            catch (final UnshippableGraphException ex)
            {
                final StaticFields.ClassStatics culprit = staticThatCannotTravel(statics, values, loader);
                if (null == culprit)
                {
                    return fallBack(thread, root, ex.getMessage());
                }
                if (code.usesStaticsOf(culprit.type))
                {
                    return fallBack(thread, root, culprit.uncopyable());
                }
                // The thread's code does not use them: they stay here, and the node initializes the class afresh
                // should anything touch it there.
                VirgoLog.debug("statics of " + culprit.type.getName() + " stay here: the code of " +
                    root.getClass().getName() + " does not use them, and " + culprit.uncopyable());
                statics.remove(culprit);
                leftOut.put(culprit.type, culprit.uncopyable());
            }
            catch (final VirgoException ex)
            {
                return fallBack(thread, root, ex.getMessage());
            }
        }
        final String sharedInGraph = sharedState.ofGraph(snapshot, leftOut);
        if (null != sharedInGraph)
        {
            return fallBack(thread, root, sharedInGraph);
        }

        final String[] classNames = new String[statics.size()];
        final String[][] fieldNames = new String[statics.size()][];
        final Object[][] staticsAtStart = new Object[statics.size()][];
        for (int i = 0; i < classNames.length; i++)
        {
            classNames[i] = statics.get(i).type.getName();
            fieldNames[i] = statics.get(i).fieldNames();
            staticsAtStart[i] = values[i].clone();
        }

        final RemoteThread remote = new RemoteThread(
            thread, thread.getId(), node, snapshot,
            ThreadRoots.encodePayload(loaderId(loader), classNames, fieldNames, snapshot.bytes()),
            statics, values, staticsAtStart, loader);
        snapshot.classOffer().describe(remote.toString());
        for (final StaticFields.ClassStatics classStatics : statics)
        {
            node.served().offer(classStatics.type);
        }
        snapshot.classOffer().forEachWritten(node.served()::offer);
        movedThreads.register(remote);
        node.threadStarted();
        if (!thread.isDaemon())
        {
            keepAlive.acquire();
        }
        try
        {
            properties.sendIfChanged(node);
            conductor.sendStart(remote);
        }
        catch (final VirgoException ex)
        {
            movedThreads.ended(remote);
            movedThreads.remove(thread);
            return fallBack(thread, root, "cannot send it to " + node.name() + ": " + ex.getMessage());
        }
        VirgoLog.debug("moved thread '" + thread.getName() + "' to " + node);
        return true;
    }

    /**
     * On the conductor: a moved thread (or a thread it started on its node) called {@code System.exit},
     * {@code Runtime.exit} or {@code Runtime.halt}. The program ends here with that status, as it would have without
     * Virgo; the first such call wins (in one JVM the later ones would block for ever). It runs on a fresh thread,
     * because {@code System.exit} runs the shutdown hooks, one of which closes the conductor. A halt runs none of the
     * program's hooks; Virgo still closes first, so nodes drop this origin's threads and no file is left behind.
     */
    void exitFromNode(final RemoteThread remote, final int status, final boolean halt)
    {
        if (!exiting.compareAndSet(false, true))
        {
            return;
        }
        VirgoLog.debug((halt ? "halt(" : "exit(") + status + ") called by " + remote);
        movedThreads.exiting(remote);
        final Thread exiter = new Thread(() ->
        {
            if (halt)
            {
                close();
                Runtime.getRuntime().halt(status);
            }
            else
            {
                System.exit(status);
            }
        }, "virgo-exit");
        exiter.start();
    }

    /**
     * {@code Runtime.availableProcessors()} as the application's classes see it with {@code reportPooledCpus=true}: see
     * {@link NodePlacement#availableProcessors()}.
     */
    public int availableProcessors()
    {
        return placement.availableProcessors();
    }

    /** A small number per application class loader, so nodes can tell two loaders' classes of one name apart. */
    private int loaderId(final ClassLoader loader)
    {
        return loaderIds.idOf(loader);
    }

    /** On the conductor, for a class request: the loader numbered {@code id}, or null when none (or collected). */
    ClassLoader loader(final int id)
    {
        return loaderIds.loader(id);
    }

    /** Makes the thread a moved one: its Thread object answers from {@code remote} from now on. */
    void register(final RemoteThread remote)
    {
        movedThreads.register(remote);
    }

    private boolean fallBack(final Thread thread, final Object root, final String reason)
    {
        final String what = "thread '" + thread.getName() + "' (" + root.getClass().getName() + ")";
        if (configuration.fallback() == VirgoConfiguration.Fallback.FAIL)
        {
            throw new VirgoException("cannot move " + what + ": " + reason + " [fallback=fail]");
        }
        if (warnedClasses.add(root.getClass()))
        {
            VirgoLog.warn(root.getClass().getName() + " runs locally: " + reason);
        }
        return false;
    }

    /**
     * Only when the snapshot failed: finds the static whose value cannot be copied, so the warning names the field
     * (the graph codec's own message cannot: statics travel as elements of one array), and notes it on its class.
     *
     * @return the class of that static, or null when the statics are not what failed.
     */
    private StaticFields.ClassStatics staticThatCannotTravel(
        final List<StaticFields.ClassStatics> statics, final Object[][] values, final ClassLoader loader)
    {
        for (int i = 0; i < values.length; i++)
        {
            for (int f = 0; f < values[i].length; f++)
            {
                try
                {
                    // Nested, as in the thread's roots, so that a Thread held in a static is refused here too.
                    codec.snapshot(new Object[] {new Object[] {values[i][f]}}, loader);
                }
                catch (final UnshippableGraphException ex)
                {
                    final StaticFields.ClassStatics culprit = statics.get(i);
                    culprit.cannotTravel(f, values[i][f], ex.getMessage());
                    return culprit;
                }
                catch (final VirgoException ex)
                {
                    // Too large alone: not what made the whole graph unshippable.
                }
            }
        }
        return null;
    }

    /** Called by the conductor when a node became ready or was lost, so waiting starters look again. */
    void nodesChanged()
    {
        placement.nodesChanged();
    }

    RemoteThread running(final long threadId)
    {
        return movedThreads.running(threadId);
    }

    List<RemoteThread> runningOn(final NodeConnection node)
    {
        return movedThreads.runningOn(node);
    }

    /**
     * Bookkeeping once a moved thread is over, before {@link RemoteThread#markTerminated()}: see
     * {@link MovedThreads#ended}.
     */
    void ended(final RemoteThread remote)
    {
        movedThreads.ended(remote);
    }

    public boolean isMoved(final Thread thread)
    {
        return movedThreads.isMoved(thread);
    }

    public boolean isAlive(final Thread thread)
    {
        return movedThreads.isAlive(thread);
    }

    public void join(final Thread thread, final long millis) throws InterruptedException
    {
        movedThreads.join(thread, millis);
    }

    public Thread.State getState(final Thread thread)
    {
        return movedThreads.getState(thread);
    }

    public void interrupt(final Thread thread)
    {
        movedThreads.interrupt(thread);
    }

    public boolean isInterrupted(final Thread thread)
    {
        return movedThreads.isInterrupted(thread);
    }

    /** {@link SharedHeap#memory()} at the origin: see {@link OriginHeapMembership#sharedMemory()}. */
    SharedMemory sharedMemory()
    {
        return heapMembership.sharedMemory();
    }

    /** On the conductor: a HEAP message from a node. */
    void onHeapControl(final int nodeIndex, final DirectBuffer buffer, final int offset, final int length)
    {
        heapMembership.onHeapControl(nodeIndex, buffer, offset, length);
    }

    /** On the conductor: a node was lost; its heap member is gone with it. */
    void heapNodeLost(final int nodeIndex)
    {
        heapMembership.heapNodeLost(nodeIndex);
    }

    /** Tells the nodes this origin is leaving, stops the local ones and removes the driver's files. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        nodesChanged();
        try
        {
            if (null != opener)
            {
                // A program that ends at once: let the transport finish starting, so it can be closed whole.
                opener.join(10_000);
            }
            if (null != conductor)
            {
                conductor.stop();
                conductorThread.join(2_000);
                conductor.sayGoodbye();
                conductor.awaitCompletions(2_000);
            }
            for (final NodeConnection node : nodes)
            {
                if (null != node.process() && !node.isReady())
                {
                    // Never welcomed, so it runs none of our threads and may not hear BYE: stop it now.
                    node.process().destroy();
                }
            }
            launcher.stopAll(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final RuntimeException ex)
        {
            VirgoLog.error("while closing: " + ex.getMessage(), ex);
        }
        finally
        {
            movedThreads.endAbandoned();
            heapMembership.close();
            if (null != transport)
            {
                transport.close();
            }
        }
    }
}
