package dev.virgo.runtime.node;

import dev.virgo.api.VirgoException;
import dev.virgo.api.heap.SharedHeap;
import dev.virgo.runtime.graph.GraphCodec;
import dev.virgo.runtime.heap.HeapContext;
import dev.virgo.runtime.heap.HeapFactory;
import dev.virgo.runtime.log.LogThrottle;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.origin.OriginRuntime;
import dev.virgo.runtime.security.Handshake;
import dev.virgo.runtime.transport.AeronTransport;
import dev.virgo.runtime.transport.IdleStrategies;
import dev.virgo.runtime.transport.Inbox;
import dev.virgo.runtime.transport.TransportSettings;
import dev.virgo.runtime.wire.ClassReplyDecoder;
import dev.virgo.runtime.wire.ClassReplyEncoder;
import dev.virgo.runtime.wire.SyncReplyDecoder;
import dev.virgo.runtime.wire.ErrorCodes;
import dev.virgo.runtime.wire.HeapDecoder;
import dev.virgo.runtime.wire.HelloDecoder;
import dev.virgo.runtime.wire.MalformedMessageException;
import dev.virgo.runtime.wire.MessageHeaderDecoder;
import dev.virgo.runtime.wire.PropertiesDecoder;
import dev.virgo.runtime.wire.StartDecoder;
import dev.virgo.runtime.wire.StateRequestDecoder;

import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's single thread for everything that arrives: HELLO opens a session for an origin, START hands a
 * thread to a pooled carrier, and the rest is routed to the session. It also notices origins that went away
 * (silent past {@code --origin-timeout-ms}, or, for a local node, the origin process gone) and stops their threads.
 */
final class NodeConductor implements AutoCloseable
{
    private static final int FRAGMENT_LIMIT = 32;
    private static final long CARRIER_KEEP_ALIVE_S = 60;
    /** A moved graph larger than this is refused at the origin; the node reads at most as much. */
    private static final int MAX_GRAPH_BYTES = 256 * 1024 * 1024;

    private final NodeSettings settings;
    private final AeronTransport transport;
    private final Inbox inbox;
    private final NanoClock clock = new SystemNanoClock();
    private final IdleStrategy idle;
    private final GraphCodec codec = new GraphCodec(MAX_GRAPH_BYTES);
    private final ThreadPoolExecutor carriers;
    private final Map<Long, OriginSession> sessions = new HashMap<>();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final HelloDecoder hello = new HelloDecoder();
    private final StartDecoder start = new StartDecoder();
    private final ClassReplyDecoder classReply = new ClassReplyDecoder();
    private final SyncReplyDecoder syncReply = new SyncReplyDecoder();
    private final StateRequestDecoder stateRequest = new StateRequestDecoder();
    private final HeapDecoder heapControl = new HeapDecoder();
    private final PropertiesDecoder properties = new PropertiesDecoder();
    private HeapFactory heapFactory;
    private final long originTimeoutNs;
    private volatile boolean running = true;
    private volatile boolean launchingOriginGone;
    private long malformedCount;
    /** Refused and malformed messages come from the network: a flood of them writes a bounded number of lines. */
    private final LogThrottle refusals = LogThrottle.warnings("refused messages");
    /** Without a secret anyone's HELLO opens a session that then times out: one line each would be a flood too. */
    private final LogThrottle silentOrigins = LogThrottle.warnings("silent origins dropped");
    /**
     * Every frame the Inbox drops reaches the transport's error handler: bounded likewise. Static, as the handler is
     * given to the transport before the conductor exists.
     */
    private static final LogThrottle TRANSPORT_ERRORS = new LogThrottle("transport errors",
        LogThrottle.DEFAULT_BURST_LINES, LogThrottle.DEFAULT_WINDOW_NS, System::nanoTime,
        line -> VirgoLog.error(line, null));
    /** Null when this node has no secret: then origins prove nothing and frames are plain (loopback only). */
    private final OriginHandshakes handshakes;

    private NodeConductor(final NodeSettings settings, final AeronTransport transport)
    {
        this.settings = settings;
        this.transport = transport;
        this.inbox = transport.openInbox(settings.channel, settings.streamId);
        this.idle = IdleStrategies.forName(settings.idle);
        this.handshakes = null == settings.secret ? null : new OriginHandshakes(new Handshake(settings.secret), inbox);
        this.originTimeoutNs = TimeUnit.MILLISECONDS.toNanos(settings.originTimeoutMs);
        final AtomicInteger carrierCount = new AtomicInteger();
        final ThreadFactory carrierFactory = r ->
        {
            final Thread carrier = new Thread(r, "virgo-carrier-" + carrierCount.incrementAndGet());
            carrier.setDaemon(true);
            return carrier;
        };
        this.carriers = new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, CARRIER_KEEP_ALIVE_S, TimeUnit.SECONDS, new SynchronousQueue<>(), carrierFactory);
        RemoteOutput.install();
        RoutedProperties.install();
        SharedHeap.install(ThreadRunner::sharedMemoryOfCurrentThread);
        if (settings.originPid != 0)
        {
            ProcessHandle.of(settings.originPid).ifPresentOrElse(
                origin -> origin.onExit().thenRun(() -> launchingOriginGone = true),
                () -> launchingOriginGone = true);
        }
    }

    static NodeConductor open(final NodeSettings settings)
    {
        final AeronTransport transport;
        if (null != settings.aeronDir)
        {
            transport = AeronTransport.connect(new TransportSettings()
                .aeronDir(settings.aeronDir)
                .idleStrategy(settings.idle)
                .errorHandler(NodeConductor::onTransportError));
        }
        else
        {
            final String aeronDir = new File(TransportSettings.defaultAeronDir()).getParent() + File.separator +
                "virgo-node-" + ProcessHandle.current().pid();
            transport = AeronTransport.launchEmbedded(new TransportSettings()
                .aeronDir(aeronDir)
                .idleStrategy(settings.idle)
                .errorHandler(NodeConductor::onTransportError));
        }
        try
        {
            return new NodeConductor(settings, transport);
        }
        catch (final RuntimeException ex)
        {
            transport.close();
            throw ex;
        }
    }

    private static void onTransportError(final Throwable ex)
    {
        if (TRANSPORT_ERRORS.log("transport: " + ex.getMessage()) && VirgoLog.isDebug())
        {
            VirgoLog.error("transport error, stack trace", ex);
        }
    }

    String channel()
    {
        return inbox.resolvedChannel();
    }

    /** @return origins with a session now; for tests. */
    int sessionCount()
    {
        return sessions.size();
    }

    /** @return messages refused so far (malformed, unauthenticated, or refused for a reason); for tests. */
    long refusedMessageCount()
    {
        return malformedCount;
    }

    String name()
    {
        return settings.name;
    }

    /**
     * What this node's member of one origin's heap is made with: the node's transport, and its own stream for it
     * (IPC: the heap stream plus the node's stream, unique on the shared driver; UDP: an ephemeral port per origin).
     */
    HeapContext heapContext()
    {
        final boolean ipc = settings.heapChannel.startsWith("aeron:ipc");
        return new HeapContext(transport, settings.heapChannel,
            OriginRuntime.HEAP_STREAM_ID + (ipc ? settings.streamId : 0), 0, 0, settings.idle, 0);
    }

    HeapFactory heapFactory()
    {
        if (null == heapFactory)
        {
            heapFactory = HeapFactory.load();
        }
        return heapFactory;
    }

    GraphCodec codec()
    {
        return codec;
    }

    ThreadPoolExecutor carriers()
    {
        return carriers;
    }

    void runUntilStopped()
    {
        while (running)
        {
            try
            {
                idle.idle(doWork());
            }
            catch (final RuntimeException ex)
            {
                VirgoLog.error("node conductor: " + ex.getMessage(), ex);
            }
        }
    }

    /** Ends {@link #runUntilStopped()}; the caller then closes the conductor. Safe from any thread. */
    void stop()
    {
        running = false;
    }

    int doWork()
    {
        int work = inbox.poll(this::onMessage, FRAGMENT_LIMIT);
        work += refusals.poll() + silentOrigins.poll() + TRANSPORT_ERRORS.poll();
        if (null != handshakes)
        {
            work += handshakes.pollLog();
        }
        if (launchingOriginGone)
        {
            VirgoLog.debug("origin process " + settings.originPid + " is gone; stopping");
            running = false;
            return 1;
        }
        final long nowNs = clock.nanoTime();
        for (final OriginSession session : new ArrayList<>(sessions.values()))
        {
            if (nowNs - session.lastHeardNs() > originTimeoutNs)
            {
                silentOrigins.log("origin " + session.describe() + " silent for " +
                    TimeUnit.NANOSECONDS.toMillis(nowNs - session.lastHeardNs()) + " ms; stopping its threads");
                closeSession(session);
                work++;
            }
        }
        return work;
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        OriginSession session = null;
        try
        {
            header.wrap(buffer, offset, length);
            session = sessions.get(header.originId());
            if (null != handshakes && !handshakes.isAuthenticated(header.type(), session))
            {
                // Not under this origin's session keys: forged, replayed into another session, or plain. No reply:
                // the sender has proved nothing, so nothing is sent to it.
                malformedCount++;
                refusals.log("refused message #" + malformedCount + ": " + header.type() + " for origin " +
                    Long.toHexString(header.originId()) + " not authenticated under its session (frame session " +
                    inbox.authenticatedSessionId() + ")");
                return;
            }
            switch (header.type())
            {
                case HELLO:
                    onHello(buffer, offset, length, session);
                    break;
                case START:
                    start.wrap(buffer, offset, length);
                    requireSession(session).start(start.threadId(), start.threadName(), start.daemon(),
                        start.priority(), start.ownHandler(), start.snapshot());
                    break;
                case PROPERTIES:
                    properties.wrap(buffer, offset, length);
                    requireSession(session).onProperties(properties.properties());
                    break;
                case CLASS_REPLY:
                    classReply.wrap(buffer, offset, length);
                    requireSession(session).onClassReply(classReply.correlationId(),
                        classReply.found() ? classReply.classBytes() : null,
                        classReply.status() == ClassReplyEncoder.STATUS_REFUSED ? classReply.reason() : null);
                    break;
                case SYNC_REPLY:
                    syncReply.wrap(buffer, offset, length);
                    requireSession(session).onSyncReply(syncReply.correlationId(), syncReply.status(),
                        syncReply.state(), syncReply.message());
                    break;
                case INTERRUPT:
                    requireSession(session).interrupt(header.threadId());
                    break;
                case STATE_REQUEST:
                    stateRequest.wrap(buffer, offset, length);
                    requireSession(session).reportState(stateRequest.threadId(), stateRequest.correlationId());
                    break;
                case HEARTBEAT:
                    requireSession(session).onHeartbeat(clock.nanoTime(), runningThreads());
                    break;
                case HEAP:
                    heapControl.wrap(buffer, offset, length);
                    requireSession(session).onHeapControl(
                        heapControl.buffer(), heapControl.payloadOffset(), heapControl.payloadLength());
                    break;
                case BYE:
                    if (null != session)
                    {
                        VirgoLog.debug("origin " + session.describe() + " said goodbye");
                        closeSession(session);
                        if (settings.originPid != 0 && session.originPid() == settings.originPid)
                        {
                            running = false;
                        }
                    }
                    break;
                default:
                    throw new MalformedMessageException(header.type() + " is not a message a node accepts");
            }
        }
        catch (final MalformedMessageException | UnknownOriginException ex)
        {
            malformedCount++;
            refusals.log("refused message #" + malformedCount + ": " + ex.getMessage());
            if (null != session)
            {
                session.sendError(ErrorCodes.MALFORMED_MESSAGE, ex.getMessage());
            }
        }
        catch (final VirgoException ex)
        {
            malformedCount++;
            refusals.log("refused message #" + malformedCount + ": " + ex.getMessage());
            if (null != session)
            {
                session.sendError(ErrorCodes.REFUSED, ex.getMessage());
            }
        }
    }

    private void onHello(final DirectBuffer buffer, final int offset, final int length, final OriginSession known)
    {
        hello.wrap(buffer, offset, length);
        if (null == handshakes)
        {
            OriginSession session = known;
            if (null == session)
            {
                session = openSession();
            }
            session.onHeartbeat(clock.nanoTime(), -1);
            session.sendWelcome();
            return;
        }

        handshakes.onHello(hello, known, this::openSession, clock.nanoTime());
    }

    private OriginSession openSession()
    {
        if (sessions.size() >= settings.maxOrigins)
        {
            throw new VirgoException("HELLO from origin " + Long.toHexString(hello.originId()) + " refused: this node " +
                "serves " + sessions.size() + " origins, its most (a session ends when its origin says BYE or is " +
                "silent for " + settings.originTimeoutMs + " ms)");
        }
        final OriginSession session = new OriginSession(this, hello.originId(), hello.threadId(), hello.originPid(),
            hello.originName(), transport.openOutbox(hello.replyChannel(), hello.replyStreamId()), clock.nanoTime());
        sessions.put(hello.originId(), session);
        VirgoLog.debug("origin " + session.describe() + " connected");
        return session;
    }

    private static OriginSession requireSession(final OriginSession session)
    {
        if (null == session)
        {
            throw new UnknownOriginException("message from an origin that has not said HELLO");
        }
        return session;
    }

    private int runningThreads()
    {
        return carriers.getActiveCount();
    }

    private void closeSession(final OriginSession session)
    {
        sessions.remove(session.originId());
        if (0 != session.receiveSessionId)
        {
            inbox.removeSession(session.receiveSessionId);
        }
        session.close();
    }

    /** Stops taking work, stops the threads of every origin, and closes the transport. */
    @Override
    public void close()
    {
        running = false;
        for (final OriginSession session : new ArrayList<>(sessions.values()))
        {
            closeSession(session);
        }
        carriers.shutdownNow();
        transport.close();
        if (launchingOriginGone && null != settings.aeronDir)
        {
            // The origin was killed before it could remove its media driver's files: a local node cleans up.
            IoUtil.delete(new File(settings.aeronDir), true);
        }
    }

    private static final class UnknownOriginException extends VirgoException
    {
        private static final long serialVersionUID = 1L;

        UnknownOriginException(final String message)
        {
            super(message);
        }
    }
}
