package dev.virgo.runtime.origin;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.classes.ThreadRoots;
import dev.virgo.runtime.config.VirgoConfiguration;
import dev.virgo.runtime.graph.GraphCodec;
import dev.virgo.runtime.graph.Snapshot;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.transport.AeronTransport;
import dev.virgo.runtime.transport.Inbox;
import dev.virgo.runtime.transport.TransportSettings;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

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

    private final VirgoConfiguration configuration;
    private final long originId = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE | 1;
    private final ThreadSelector selector;
    private final StaticFields staticFields = new StaticFields();
    private final GraphCodec codec;
    private final KeepAlive keepAlive = new KeepAlive();
    private final LocalNodeLauncher launcher = new LocalNodeLauncher();
    private final List<NodeConnection> nodes = new ArrayList<>();
    private final Map<Thread, RemoteThread> movedThreads = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<Long, RemoteThread> runningById = new ConcurrentHashMap<>();
    private final Set<Class<?>> warnedClasses = ConcurrentHashMap.newKeySet();
    private final Map<ClassLoader, Integer> loaderIds = new WeakHashMap<>();
    private final ClassValue<Boolean> staticsShippable;
    private final NanoClock clock;
    private volatile boolean moved;
    private volatile boolean closed;
    /** True while the transport starts in the background; starters wait for it rather than fall back. */
    private volatile boolean opening;
    private Thread opener;
    private AeronTransport transport;
    private Inbox inbox;
    private OriginConductor conductor;
    private Thread conductorThread;
    private int nextNode;

    private OriginRuntime(final VirgoConfiguration configuration, final NanoClock clock)
    {
        this.configuration = configuration;
        this.clock = clock;
        this.selector = new ThreadSelector(configuration.offloadPatterns());
        this.codec = new GraphCodec(configuration.maxGraphBytes());
        this.staticsShippable = new ClassValue<>()
        {
            @Override
            protected Boolean computeValue(final Class<?> type)
            {
                return canShipStaticsOf(type);
            }
        };
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
        final String aeronDir = new File(TransportSettings.defaultAeronDir()).getParent() + File.separator +
            "virgo-origin-" + ProcessHandle.current().pid() + "-" + Long.toHexString(originId);
        transport = AeronTransport.launchEmbedded(new TransportSettings()
            .aeronDir(aeronDir)
            .idleStrategy(configuration.idle())
            .errorHandler(ex -> VirgoLog.error("transport: " + ex.getMessage(), ex)));
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
                    virgoJar, transport.aeronDir(), streamId, name, configuration.idle(), configuration.nodeJvmArgs());
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
        if (movedThreads.containsKey(thread))
        {
            throw new IllegalThreadStateException("thread '" + thread.getName() + "' was already started");
        }

        final NodeConnection node = pickNode();
        if (null == node)
        {
            return fallBack(thread, root, "no node is available (" + describeNodes() + ")");
        }

        final List<Class<?>> rootClasses = new ArrayList<>();
        rootClasses.add(root.getClass());
        if (root != thread && thread.getClass() != Thread.class)
        {
            rootClasses.add(thread.getClass());
        }
        final List<StaticFields.ClassStatics> statics = new ArrayList<>();
        for (final StaticFields.ClassStatics classStatics : staticFields.forRoots(rootClasses))
        {
            if (staticsShippable.get(classStatics.type))
            {
                statics.add(classStatics);
            }
        }
        final String[] classNames = new String[statics.size()];
        final String[][] fieldNames = new String[statics.size()][];
        final Object[][] values = new Object[statics.size()][];
        final Object[][] staticsAtStart = new Object[statics.size()][];
        for (int i = 0; i < classNames.length; i++)
        {
            final StaticFields.ClassStatics classStatics = statics.get(i);
            classNames[i] = classStatics.type.getName();
            fieldNames[i] = classStatics.fieldNames();
            values[i] = classStatics.read();
            staticsAtStart[i] = values[i].clone();
        }
        final Object[] roots = ThreadRoots.compose(root, values);

        final ClassLoader loader = root.getClass().getClassLoader();
        final Snapshot snapshot;
        try
        {
            snapshot = codec.snapshot(roots, loader);
        }
        catch (final VirgoException ex)
        {
            return fallBack(thread, root, ex.getMessage());
        }

        final RemoteThread remote = new RemoteThread(
            thread, thread.getId(), node, snapshot,
            ThreadRoots.encodePayload(loaderId(loader), classNames, fieldNames, snapshot.bytes()),
            statics, values, staticsAtStart, loader);
        movedThreads.put(thread, remote);
        runningById.put(remote.threadId, remote);
        moved = true;
        node.threadStarted();
        if (!thread.isDaemon())
        {
            keepAlive.acquire();
        }
        try
        {
            conductor.sendStart(remote);
        }
        catch (final VirgoException ex)
        {
            ended(remote);
            movedThreads.remove(thread);
            return fallBack(thread, root, "cannot send it to " + node.name() + ": " + ex.getMessage());
        }
        VirgoLog.debug("moved thread '" + thread.getName() + "' to " + node);
        return true;
    }

    /** A small number per application class loader, so nodes can tell two loaders' classes of one name apart. */
    private int loaderId(final ClassLoader loader)
    {
        synchronized (loaderIds)
        {
            return loaderIds.computeIfAbsent(loader, l -> loaderIds.size() + 1);
        }
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

    /** A class whose statics cannot be copied (a logger, a socket...) is initialized afresh on the node instead. */
    private boolean canShipStaticsOf(final Class<?> type)
    {
        try
        {
            codec.snapshot(new Object[] {staticFields.valuesOf(type)}, type.getClassLoader());
            return true;
        }
        catch (final VirgoException ex)
        {
            VirgoLog.debug("statics of " + type.getName() + " stay per node (initialized there): " + ex.getMessage());
            return false;
        }
    }

    /** Least-loaded of this origin's own threads in flight, round-robin among equals; waits for the first node. */
    private NodeConnection pickNode()
    {
        final long deadlineNs = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(configuration.nodeReadyTimeoutMs());
        synchronized (nodes)
        {
            while (true)
            {
                NodeConnection best = null;
                final int count = nodes.size();
                for (int i = 0; i < count; i++)
                {
                    final NodeConnection candidate = nodes.get((nextNode + i) % count);
                    if (candidate.isReady() &&
                        (null == best || candidate.threadsInFlight() < best.threadsInFlight()))
                    {
                        best = candidate;
                    }
                }
                if (null != best)
                {
                    nextNode = (nodes.indexOf(best) + 1) % count;
                    return best;
                }
                final long leftNs = deadlineNs - clock.nanoTime();
                if (leftNs <= 0 || closed || (!opening && !anyNodeMayComeUp()))
                {
                    return null;
                }
                try
                {
                    TimeUnit.NANOSECONDS.timedWait(nodes, leftNs);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    private boolean anyNodeMayComeUp()
    {
        for (final NodeConnection node : nodes)
        {
            if (!node.isLost())
            {
                return true;
            }
        }
        return false;
    }

    /** Called by the conductor when a node became ready or was lost, so waiting starters look again. */
    void nodesChanged()
    {
        synchronized (nodes)
        {
            nodes.notifyAll();
        }
    }

    private String describeNodes()
    {
        final StringBuilder text = new StringBuilder();
        for (final NodeConnection node : nodes)
        {
            text.append(text.length() == 0 ? "" : ", ").append(node.name())
                .append(node.isLost() ? " lost" : node.isReady() ? " ready" : " not answering");
        }
        return nodes.isEmpty() ? "none configured (localNodes=0 and no nodes=), or the transport did not start" :
            text + " after " + configuration.nodeReadyTimeoutMs() + " ms";
    }

    RemoteThread running(final long threadId)
    {
        return runningById.get(threadId);
    }

    List<RemoteThread> runningOn(final NodeConnection node)
    {
        final List<RemoteThread> result = new ArrayList<>();
        for (final RemoteThread remote : runningById.values())
        {
            if (remote.node == node)
            {
                result.add(remote);
            }
        }
        return result;
    }

    /** Bookkeeping once a moved thread is over, before {@link RemoteThread#markTerminated()}. */
    void ended(final RemoteThread remote)
    {
        if (null != runningById.remove(remote.threadId))
        {
            remote.node.threadEnded();
            if (!remote.thread.isDaemon())
            {
                keepAlive.release();
            }
        }
    }

    public boolean isMoved(final Thread thread)
    {
        return moved && movedThreads.containsKey(thread);
    }

    private RemoteThread remote(final Thread thread)
    {
        final RemoteThread remote = movedThreads.get(thread);
        if (null == remote)
        {
            throw new IllegalStateException("thread '" + thread.getName() + "' was not moved");
        }
        return remote;
    }

    public boolean isAlive(final Thread thread)
    {
        return remote(thread).isAlive();
    }

    public void join(final Thread thread, final long millis) throws InterruptedException
    {
        if (millis < 0)
        {
            throw new IllegalArgumentException("timeout value is negative");
        }
        remote(thread).join(millis);
    }

    public Thread.State getState(final Thread thread)
    {
        final RemoteThread remote = remote(thread);
        return remote.isAlive() ? conductor.queryState(remote) : Thread.State.TERMINATED;
    }

    public void interrupt(final Thread thread)
    {
        final RemoteThread remote = remote(thread);
        if (remote.isAlive())
        {
            remote.markInterrupted();
            conductor.sendInterrupt(remote);
        }
    }

    public boolean isInterrupted(final Thread thread)
    {
        return remote(thread).isInterrupted();
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
            if (null != transport)
            {
                transport.close();
            }
        }
    }
}
