package dev.virgo.runtime.transport;

import dev.virgo.api.VirgoException;
import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.status.ChannelEndpointStatus;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One process's access to Aeron: an Aeron client, and the media driver too when this process launched it.
 * <p>
 * The origin launches an embedded driver ({@link #launchEmbedded(TransportSettings)}); node JVMs on the same machine
 * {@link #connect(TransportSettings) connect} to that driver's directory so that they all talk over IPC through one
 * driver thread, which on a small machine is several times faster than a driver per process. Thread-safe.
 */
public final class AeronTransport implements AutoCloseable
{
    private static final String UDP_ENDPOINT = "endpoint";

    private final TransportSettings settings;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private boolean closed;

    private AeronTransport(final TransportSettings settings, final MediaDriver driver, final Aeron aeron)
    {
        this.settings = settings;
        this.driver = driver;
        this.aeron = aeron;
    }

    /**
     * Aeron's threads are daemons: the application's JVM must exit when its own non-daemon threads end, exactly as
     * it would without Virgo; Virgo closes the transport from a shutdown hook.
     */
    private static final java.util.concurrent.ThreadFactory DAEMON_THREADS = runnable ->
    {
        final Thread thread = new Thread(runnable);
        thread.setDaemon(true);
        return thread;
    };

    /**
     * Launches an embedded media driver in {@link TransportSettings#aeronDir()} and connects a client to it.
     * <p>
     * The driver runs {@link ThreadingMode#SHARED} (one thread for conductor, sender and receiver) with the settings'
     * idle strategy, so it costs one mostly parked thread. Its directory is deleted on start (a stale one left by a
     * crashed process) and on shutdown; a directory with a live driver in it is refused rather than deleted.
     *
     * @param settings validated here.
     * @return a transport that owns the driver.
     * @throws VirgoException naming the directory when a driver is already active there or the launch fails.
     */
    public static AeronTransport launchEmbedded(final TransportSettings settings)
    {
        settings.validate();
        final String dir = settings.aeronDir();
        final MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedThreadFactory(DAEMON_THREADS)
            .sharedIdleStrategy(IdleStrategies.forName(settings.idleStrategy()))
            .ipcTermBufferLength(settings.ipcTermLengthBytes())
            .publicationTermBufferLength(settings.udpTermLengthBytes())
            .termBufferSparseFile(true)
            .driverTimeoutMs(settings.driverTimeoutMs())
            .errorHandler(settings.errorHandler())
            .warnIfDirectoryExists(false)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);

        // dirDeleteOnStart would wipe the files from under a live driver; Aeron only checks when it is off.
        if (CommonContext.isDriverActive(new File(dir), settings.driverTimeoutMs(), (msg) -> {}))
        {
            throw new VirgoException("aeronDir=" + dir + ": a media driver is already active there; connect to it " +
                "or choose another directory");
        }

        MediaDriver driver = null;
        try
        {
            driver = MediaDriver.launch(driverContext);
            return new AeronTransport(settings, driver, connectClient(settings));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            IoUtil.delete(new File(dir), true);
            throw new VirgoException("aeronDir=" + dir + ": could not launch the embedded media driver: " + ex, ex);
        }
    }

    /**
     * Connects a client to a media driver already running in {@link TransportSettings#aeronDir()}, e.g. the
     * origin's embedded driver. Term lengths are the driver's, not these settings'.
     *
     * @param settings validated here.
     * @return a transport that does not own the driver.
     * @throws VirgoException naming the directory when no driver answers within the driver timeout.
     */
    public static AeronTransport connect(final TransportSettings settings)
    {
        settings.validate();
        return new AeronTransport(settings, null, connectClient(settings));
    }

    /**
     * Launches an embedded driver or connects to a running one, as {@link TransportSettings#launchEmbeddedDriver()}
     * says.
     *
     * @param settings validated here.
     * @return the transport.
     */
    public static AeronTransport start(final TransportSettings settings)
    {
        return settings.launchEmbeddedDriver() ? launchEmbedded(settings) : connect(settings);
    }

    private static Aeron connectClient(final TransportSettings settings)
    {
        // The client conductor keeps Aeron's default sleeping idle: it only handles driver responses and keepalives.
        final Aeron.Context context = new Aeron.Context()
            .aeronDirectoryName(settings.aeronDir())
            .driverTimeoutMs(settings.driverTimeoutMs())
            .threadFactory(DAEMON_THREADS)
            .errorHandler(settings.errorHandler());
        try
        {
            return Aeron.connect(context);
        }
        catch (final RuntimeException ex)
        {
            context.close();
            throw new VirgoException("aeronDir=" + settings.aeronDir() + ": could not connect to the media driver in " +
                settings.driverTimeoutMs() + " ms: " + ex, ex);
        }
    }

    /**
     * Subscribes to a channel. For a UDP channel with {@code endpoint=host:0} the driver picks a free port; this waits
     * (up to the driver timeout) until the port is known so that {@link Inbox#resolvedChannel()} can be handed to
     * the senders.
     *
     * @param channel  e.g. {@code aeron:ipc} or {@code aeron:udp?endpoint=127.0.0.1:0}.
     * @param streamId stream within the channel.
     * @return the Inbox, closed with this transport if not before.
     */
    public Inbox openInbox(final String channel, final int streamId)
    {
        final ChannelUri uri = parse(channel, streamId);
        final Inbox[] inbox = new Inbox[1];
        final Subscription subscription;
        try
        {
            subscription = aeron.addSubscription(
                channel, streamId, null, (image) -> { if (null != inbox[0]) inbox[0].onUnavailableImage(image); });
        }
        catch (final RuntimeException ex)
        {
            throw new VirgoException("channel=" + channel + " stream=" + streamId + ": cannot subscribe: " + ex, ex);
        }

        try
        {
            final String resolved = uri.isUdp() && null != uri.get(UDP_ENDPOINT) ?
                awaitResolvedEndpoint(subscription, channel, streamId) : channel;
            final Inbox created = new Inbox(
                subscription, resolved, settings.maxMessageBytes(), settings.errorHandler(), this);
            inbox[0] = created;
            register(created);
            return created;
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(subscription);
            throw ex;
        }
    }

    /**
     * Publishes to a channel; thread-safe sends, see {@link Outbox#send}.
     *
     * @param channel  e.g. {@code aeron:ipc} or an Inbox's {@link Inbox#resolvedChannel()}.
     * @param streamId stream within the channel.
     * @return the Outbox, closed with this transport if not before.
     */
    public Outbox openOutbox(final String channel, final int streamId)
    {
        parse(channel, streamId);
        final Publication publication;
        try
        {
            publication = aeron.addPublication(channel, streamId);
        }
        catch (final RuntimeException ex)
        {
            throw new VirgoException("channel=" + channel + " stream=" + streamId + ": cannot publish: " + ex, ex);
        }
        final Outbox outbox = new Outbox(publication, settings.maxMessageBytes(), this);
        register(outbox);
        return outbox;
    }

    /** @return the media driver's directory: hand it to local node JVMs so that they {@link #connect} to it. */
    public String aeronDir()
    {
        return settings.aeronDir();
    }

    /** @return true when this transport launched, and will close, the media driver. */
    public boolean ownsDriver()
    {
        return null != driver;
    }

    /** @return the Aeron client, for what this class does not wrap (counters, images). */
    public Aeron aeron()
    {
        return aeron;
    }

    /**
     * Closes every Inbox and Outbox opened here, then the client, then the embedded driver if this transport
     * launched it, and deletes the driver's directory. Idempotent.
     */
    public void close()
    {
        final List<AutoCloseable> toClose;
        synchronized (resources)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(resources);
            resources.clear();
        }

        CloseHelper.closeAll(toClose);
        CloseHelper.close(aeron);
        if (null != driver)
        {
            CloseHelper.close(driver);
            // dirDeleteOnShutdown should have done it; make sure nothing is left in /dev/shm either way.
            IoUtil.delete(new File(settings.aeronDir()), true);
        }
    }

    public String toString()
    {
        return "AeronTransport{aeronDir=" + settings.aeronDir() + ", ownsDriver=" + ownsDriver() + '}';
    }

    private void register(final AutoCloseable resource)
    {
        synchronized (resources)
        {
            if (closed)
            {
                CloseHelper.quietClose(resource);
                throw new VirgoException("aeronDir=" + settings.aeronDir() + ": transport is closed");
            }
            resources.add(resource);
        }
    }

    void unregister(final AutoCloseable resource)
    {
        synchronized (resources)
        {
            resources.remove(resource);
        }
    }

    private String awaitResolvedEndpoint(final Subscription subscription, final String channel, final int streamId)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.driverTimeoutMs());
        while (true)
        {
            final String resolved = subscription.tryResolveChannelEndpointPort();
            if (null != resolved)
            {
                return resolved;
            }
            if (subscription.channelStatus() == ChannelEndpointStatus.ERRORED)
            {
                throw new VirgoException("channel=" + channel + " stream=" + streamId + ": the driver could not bind " +
                    "the endpoint (see the driver's error log in " + settings.aeronDir() + ")");
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new VirgoException("channel=" + channel + " stream=" + streamId +
                    ": endpoint port not resolved in " + settings.driverTimeoutMs() + " ms");
            }
            sleepQuietly();
        }
    }

    private static void sleepQuietly()
    {
        try
        {
            Thread.sleep(1);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new VirgoException("interrupted while waiting for the media driver", ex);
        }
    }

    private static ChannelUri parse(final String channel, final int streamId)
    {
        try
        {
            final ChannelUri uri = ChannelUri.parse(channel);
            if (!uri.isUdp() && !uri.isIpc())
            {
                throw new IllegalArgumentException("media " + uri.media() + " is neither udp nor ipc");
            }
            return uri;
        }
        catch (final RuntimeException ex)
        {
            throw new VirgoException("channel=" + channel + " stream=" + streamId + ": not a valid Aeron channel: " +
                ex.getMessage(), ex);
        }
    }
}
