package dev.virgo.benchmarks;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Raw Aeron round trip of a message between two JVMs (32 bytes unless {@code bytes=} says otherwise; the pong echoes
 * what it gets): the transport's own limit, beside which Virgo's start→join and the shared heap's misses are read
 * (the heap's at 8 bytes and at its page size, 4 KiB). Set up as Virgo sets itself up, so the comparison is like for
 * like:
 * <ul>
 *     <li>{@code channel=ipc}: the pong JVM runs an embedded media driver and the ping JVM uses it (as local nodes
 *     use the origin's driver), {@code aeron:ipc};</li>
 *     <li>{@code channel=udp}: each JVM runs its own embedded driver (as an origin and a standalone node do), UDP
 *     over loopback.</li>
 * </ul>
 * Drivers run {@code SHARED} with 2 MiB sparse terms, and drivers and pollers use the same idle strategy as Virgo's
 * of that name ({@code backoff}: 10 spins, 20 yields, then park 1 µs doubling up to 200 µs). Both ends reassemble
 * fragments, as Virgo's inboxes do: a message longer than the MTU's payload (1,376 bytes by default) travels as
 * several Aeron fragments, so 4 KiB is three.
 *
 * <pre>
 * java AeronPingPong role=pong channel=ipc dir=/dev/shm/x &amp;   # prints READY
 * java AeronPingPong role=ping channel=ipc dir=/dev/shm/x out=aeron-ipc.csv [bytes=4096]
 * </pre>
 */
public final class AeronPingPong
{
    private static final int PING_STREAM_ID = 1001;
    private static final int PONG_STREAM_ID = 1002;
    private static final int DEFAULT_MESSAGE_BYTES = 32;
    /** The ping's send timestamp, and the STOP mark. */
    private static final int MIN_MESSAGE_BYTES = 8;
    private static final long STOP = -1;
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(20);

    private AeronPingPong()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Args parsed = Args.parse(args, Set.of(
            "role", "channel", "dir", "pingPort", "pongPort", "idle", "warmup", "iterations", "bytes", "out",
            "timeoutS"));
        Args.exitAfter("aeron-ping-pong", parsed.integer("timeoutS", 120));
        final String role = parsed.required("role");
        final boolean ipc = "ipc".equals(parsed.string("channel", "ipc"));
        final String dir = parsed.required("dir");
        final String idle = parsed.string("idle", "backoff");
        final String pingChannel = ipc ? "aeron:ipc" : "aeron:udp?endpoint=127.0.0.1:" + parsed.required("pongPort");
        final String pongChannel = ipc ? "aeron:ipc" : "aeron:udp?endpoint=127.0.0.1:" + parsed.required("pingPort");
        final int messageBytes = parsed.integer("bytes", DEFAULT_MESSAGE_BYTES);
        if (messageBytes < MIN_MESSAGE_BYTES)
        {
            throw new IllegalArgumentException("bytes=" + messageBytes + ": at least " + MIN_MESSAGE_BYTES +
                " expected (the message carries its send time)");
        }

        // IPC: one driver, in the pong JVM. UDP: one driver per JVM, each in its own directory.
        final boolean ownDriver = !ipc || "pong".equals(role);
        final String driverDir = ipc ? dir : dir + "-" + role;
        final MediaDriver driver = ownDriver ? MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(driverDir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(idleStrategy(idle))
            .ipcTermBufferLength(2 * 1024 * 1024)
            .publicationTermBufferLength(2 * 1024 * 1024)
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)) : null;
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driverDir));
        Histogram histogram = null;
        try
        {
            if ("pong".equals(role))
            {
                pong(aeron, pingChannel, pongChannel, idleStrategy(idle), ipc);
            }
            else
            {
                histogram = ping(parsed, aeron, pingChannel, pongChannel, idleStrategy(idle), messageBytes);
            }
        }
        finally
        {
            CloseHelper.closeAll(aeron, driver);
        }

        // Written once the client is closed: over IPC the driver is the pong's, and a client that outlives it is
        // ended by Aeron (exit code 255) before it could write anything.
        if (null != histogram)
        {
            final String channel = ipc ?
                "Aeron IPC, one shared media driver (SHARED), two JVMs" :
                "Aeron UDP 127.0.0.1, a media driver (SHARED) in each JVM";
            final ResultFile results = new ResultFile(parsed.required("out"), idle, channel);
            results.latency("aeron-ping-pong", ipc ? "ipc" : "udp", "round trip, " + messageBytes + " B", histogram);
            results.write();
        }
        System.exit(0);
    }

    private static void pong(
        final Aeron aeron, final String pingChannel, final String pongChannel, final IdleStrategy idleStrategy,
        final boolean ipc) throws InterruptedException
    {
        try (Subscription pings = aeron.addSubscription(pingChannel, PING_STREAM_ID);
            Publication pongs = aeron.addPublication(pongChannel, PONG_STREAM_ID))
        {
            System.out.println("READY");
            System.out.flush();
            final boolean[] stop = {false};
            final FragmentHandler echo = new FragmentAssembler((buffer, offset, length, header) ->
            {
                if (buffer.getLong(offset) == STOP)
                {
                    stop[0] = true;
                    return;
                }
                offer(pongs, buffer, offset, length, idleStrategy);
            });
            while (!stop[0])
            {
                idleStrategy.idle(pings.poll(echo, 16));
            }

            // Over IPC the ping uses this JVM's driver: keep it until the ping has closed its subscription.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ipc && pongs.isConnected() && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
        }
    }

    private static Histogram ping(
        final Args parsed, final Aeron aeron, final String pingChannel, final String pongChannel,
        final IdleStrategy idleStrategy, final int messageBytes) throws Exception
    {
        final int warmup = parsed.integer("warmup", 20_000);
        final int iterations = parsed.integer("iterations", 100_000);
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(messageBytes));
        final long[] received = {0};
        final boolean[] measuring = {false};
        final FragmentHandler onPong = new FragmentAssembler((buffer, offset, length, header) ->
        {
            if (measuring[0])
            {
                histogram.recordValue(Math.min(System.nanoTime() - buffer.getLong(offset),
                    histogram.getHighestTrackableValue()));
            }
            received[0]++;
        });

        try (Publication pings = aeron.addPublication(pingChannel, PING_STREAM_ID);
            Subscription pongs = aeron.addSubscription(pongChannel, PONG_STREAM_ID))
        {
            final long deadline = System.nanoTime() + CONNECT_TIMEOUT_NS;
            while (!pings.isConnected() || !pongs.isConnected())
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("ping: not connected to pong within 20 s on " + pingChannel);
                }
                Thread.sleep(1);
            }
            for (int i = 0; i < warmup + iterations; i++)
            {
                measuring[0] = i >= warmup;
                message.putLong(0, System.nanoTime());
                offer(pings, message, 0, messageBytes, idleStrategy);
                final long expected = received[0] + 1;
                idleStrategy.reset();
                while (received[0] < expected)
                {
                    idleStrategy.idle(pongs.poll(onPong, 1));
                }
            }
            message.putLong(0, STOP);
            offer(pings, message, 0, messageBytes, idleStrategy);
        }
        return histogram;
    }

    private static void offer(
        final Publication publication, final DirectBuffer buffer, final int offset, final int length,
        final IdleStrategy idleStrategy)
    {
        final long deadline = System.nanoTime() + CONNECT_TIMEOUT_NS;
        idleStrategy.reset();
        long result;
        while ((result = publication.offer(buffer, offset, length)) < 0)
        {
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED ||
                System.nanoTime() > deadline)
            {
                throw new IllegalStateException("offer on " + publication.channel() + " failed: " + result);
            }
            idleStrategy.idle();
        }
    }

    static IdleStrategy idleStrategy(final String name)
    {
        switch (name)
        {
            case "backoff":
                return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1),
                    TimeUnit.MICROSECONDS.toNanos(200));
            case "yielding":
                return new YieldingIdleStrategy();
            case "spinning":
                return new BusySpinIdleStrategy();
            default:
                throw new IllegalArgumentException("idle=" + name + ": expected backoff, yielding or spinning");
        }
    }
}
