package dev.virgo.runtime.transport;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.log.LogThrottle;
import dev.virgo.runtime.log.VirgoLog;
import io.aeron.CommonContext;
import io.aeron.logbuffer.LogBufferDescriptor;
import org.agrona.ErrorHandler;

/**
 * Settings of one {@link AeronTransport}: where the media driver lives, whether to launch it in-process, how pollers
 * idle, how large the term buffers are and how large a reassembled message may become.
 * <p>
 * Defaults come from the system properties named by the {@code *_PROP_NAME} constants, falling back to the
 * {@code DEFAULT_*} constants. Setters are fluent; {@link #validate()} is called by {@link AeronTransport} before
 * anything is started and names the first bad value. Not thread-safe: fill it in, then hand it over.
 */
public final class TransportSettings
{
    public static final String AERON_DIR_PROP_NAME = "virgo.transport.aeronDir";
    public static final String LAUNCH_EMBEDDED_DRIVER_PROP_NAME = "virgo.transport.launchEmbeddedDriver";
    public static final String IDLE_STRATEGY_PROP_NAME = "virgo.transport.idleStrategy";
    public static final String IPC_TERM_LENGTH_PROP_NAME = "virgo.transport.ipcTermLengthBytes";
    public static final String UDP_TERM_LENGTH_PROP_NAME = "virgo.transport.udpTermLengthBytes";
    public static final String MAX_MESSAGE_BYTES_PROP_NAME = "virgo.transport.maxMessageBytes";
    public static final String DRIVER_TIMEOUT_PROP_NAME = "virgo.transport.driverTimeoutMs";

    public static final boolean DEFAULT_LAUNCH_EMBEDDED_DRIVER = true;
    public static final String DEFAULT_IDLE_STRATEGY = IdleStrategies.BACKOFF;

    /**
     * 2 MiB terms: a publication's log is three terms, so a few dozen publications stay within tens of MiB of
     * {@code /dev/shm}; messages up to an eighth of a term go as one Aeron message, larger ones are chunked.
     */
    public static final int DEFAULT_IPC_TERM_LENGTH_BYTES = 2 * 1024 * 1024;
    public static final int DEFAULT_UDP_TERM_LENGTH_BYTES = 2 * 1024 * 1024;

    /** Largest message an {@link Inbox} reassembles; larger ones are dropped and reported. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    public static final long DEFAULT_DRIVER_TIMEOUT_MS = 10_000;

    private String aeronDir = System.getProperty(AERON_DIR_PROP_NAME, defaultAeronDir());
    private boolean launchEmbeddedDriver = Boolean.parseBoolean(
        System.getProperty(LAUNCH_EMBEDDED_DRIVER_PROP_NAME, String.valueOf(DEFAULT_LAUNCH_EMBEDDED_DRIVER)));
    private String idleStrategy = System.getProperty(IDLE_STRATEGY_PROP_NAME, DEFAULT_IDLE_STRATEGY);
    private int ipcTermLengthBytes = Integer.getInteger(IPC_TERM_LENGTH_PROP_NAME, DEFAULT_IPC_TERM_LENGTH_BYTES);
    private int udpTermLengthBytes = Integer.getInteger(UDP_TERM_LENGTH_PROP_NAME, DEFAULT_UDP_TERM_LENGTH_BYTES);
    private int maxMessageBytes = Integer.getInteger(MAX_MESSAGE_BYTES_PROP_NAME, DEFAULT_MAX_MESSAGE_BYTES);
    private long driverTimeoutMs = Long.getLong(DRIVER_TIMEOUT_PROP_NAME, DEFAULT_DRIVER_TIMEOUT_MS);
    private ErrorHandler errorHandler = TransportSettings::printError;

    /**
     * The default driver directory: Aeron's platform default (e.g. {@code /dev/shm/aeron-user}) suffixed with
     * {@code -virgo-<pid>}, so that an origin's embedded driver never collides with another origin's or with a
     * standalone Aeron driver. Node JVMs on the same machine are told the origin's directory explicitly.
     *
     * @return the default Aeron directory for this process.
     */
    public static String defaultAeronDir()
    {
        return CommonContext.AERON_DIR_PROP_DEFAULT + "-virgo-" + ProcessHandle.current().pid();
    }

    /**
     * Checks every value.
     *
     * @return this.
     * @throws VirgoException naming the first bad setting and its value.
     */
    public TransportSettings validate()
    {
        if (aeronDir == null || aeronDir.isBlank())
        {
            throw new VirgoException("aeronDir='" + aeronDir + "': must name a directory");
        }
        if (!IdleStrategies.isKnown(idleStrategy))
        {
            throw new VirgoException("idleStrategy=" + idleStrategy + ": expected one of " + IdleStrategies.names());
        }
        validateTermLength("ipcTermLengthBytes", ipcTermLengthBytes);
        validateTermLength("udpTermLengthBytes", udpTermLengthBytes);
        if (maxMessageBytes <= 0)
        {
            throw new VirgoException("maxMessageBytes=" + maxMessageBytes + ": must be positive");
        }
        if (driverTimeoutMs <= 0)
        {
            throw new VirgoException("driverTimeoutMs=" + driverTimeoutMs + ": must be positive");
        }
        if (errorHandler == null)
        {
            throw new VirgoException("errorHandler=null: must be set");
        }
        return this;
    }

    private static void validateTermLength(final String name, final int value)
    {
        if (value < LogBufferDescriptor.TERM_MIN_LENGTH || value > LogBufferDescriptor.TERM_MAX_LENGTH ||
            Integer.bitCount(value) != 1)
        {
            throw new VirgoException(name + "=" + value + ": must be a power of two between " +
                LogBufferDescriptor.TERM_MIN_LENGTH + " and " + LogBufferDescriptor.TERM_MAX_LENGTH);
        }
    }

    /**
     * The default's lines: every frame an inbox drops reaches the handler, and whoever can reach the inbox's port can
     * send such frames, so a flood writes a bounded number of lines and then counts.
     */
    private static final LogThrottle DEFAULT_ERRORS = new LogThrottle("virgo transport errors",
        LogThrottle.DEFAULT_BURST_LINES, LogThrottle.DEFAULT_WINDOW_NS, System::nanoTime,
        line -> System.err.println(VirgoLog.printable(line)));

    private static void printError(final Throwable t)
    {
        // Default only: a node or origin installs its own handler that logs with context.
        DEFAULT_ERRORS.log("virgo transport: " + t);
    }

    /** @return directory of the Aeron media driver (its CnC file, logs and counters). */
    public String aeronDir()
    {
        return aeronDir;
    }

    /** @param aeronDir directory of the Aeron media driver. @return this. */
    public TransportSettings aeronDir(final String aeronDir)
    {
        this.aeronDir = aeronDir;
        return this;
    }

    /** @return true when this process should launch its own media driver rather than use a running one. */
    public boolean launchEmbeddedDriver()
    {
        return launchEmbeddedDriver;
    }

    /** @param launchEmbeddedDriver true to launch a media driver in-process. @return this. */
    public TransportSettings launchEmbeddedDriver(final boolean launchEmbeddedDriver)
    {
        this.launchEmbeddedDriver = launchEmbeddedDriver;
        return this;
    }

    /** @return name of the idle strategy, see {@link IdleStrategies#forName(String)}. */
    public String idleStrategy()
    {
        return idleStrategy;
    }

    /** @param idleStrategy name of the idle strategy, see {@link IdleStrategies#forName(String)}. @return this. */
    public TransportSettings idleStrategy(final String idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /** @return term length of IPC publications created by an embedded driver. */
    public int ipcTermLengthBytes()
    {
        return ipcTermLengthBytes;
    }

    /** @param ipcTermLengthBytes term length of IPC publications, a power of two. @return this. */
    public TransportSettings ipcTermLengthBytes(final int ipcTermLengthBytes)
    {
        this.ipcTermLengthBytes = ipcTermLengthBytes;
        return this;
    }

    /** @return term length of UDP publications created by an embedded driver. */
    public int udpTermLengthBytes()
    {
        return udpTermLengthBytes;
    }

    /** @param udpTermLengthBytes term length of UDP publications, a power of two. @return this. */
    public TransportSettings udpTermLengthBytes(final int udpTermLengthBytes)
    {
        this.udpTermLengthBytes = udpTermLengthBytes;
        return this;
    }

    /** @return largest message, in bytes, an {@link Inbox} reassembles. */
    public int maxMessageBytes()
    {
        return maxMessageBytes;
    }

    /** @param maxMessageBytes largest message an {@link Inbox} reassembles. @return this. */
    public TransportSettings maxMessageBytes(final int maxMessageBytes)
    {
        this.maxMessageBytes = maxMessageBytes;
        return this;
    }

    /** @return how long to wait for the driver to answer (connect, resolve an endpoint) before giving up. */
    public long driverTimeoutMs()
    {
        return driverTimeoutMs;
    }

    /** @param driverTimeoutMs how long to wait for the driver before giving up. @return this. */
    public TransportSettings driverTimeoutMs(final long driverTimeoutMs)
    {
        this.driverTimeoutMs = driverTimeoutMs;
        return this;
    }

    /** @return receives errors of the driver, the client and inboxes (dropped or malformed frames). */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /** @param errorHandler receives asynchronous transport errors; must not throw. @return this. */
    public TransportSettings errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    public String toString()
    {
        return "TransportSettings{aeronDir='" + aeronDir + "', launchEmbeddedDriver=" + launchEmbeddedDriver +
            ", idleStrategy=" + idleStrategy + ", ipcTermLengthBytes=" + ipcTermLengthBytes +
            ", udpTermLengthBytes=" + udpTermLengthBytes + ", maxMessageBytes=" + maxMessageBytes +
            ", driverTimeoutMs=" + driverTimeoutMs + '}';
    }
}
