package dev.virgo.it.harness;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A raw Aeron publisher in the test JVM, to send a node hand-made bytes: its own embedded media driver (daemon
 * threads, a directory of its own under /dev/shm that {@link #close()} deletes) and one publication to
 * {@code aeron:udp?endpoint=127.0.0.1:port}. Each {@link #send} is one Aeron message, exactly the bytes given (the
 * caller writes Virgo's transport frame itself, or not). Needs {@code --add-exports java.base/jdk.internal.misc}.
 */
public final class RawAeronSender implements AutoCloseable
{
    private static final ThreadFactory DAEMON = runnable ->
    {
        final Thread thread = new Thread(runnable, "raw-aeron-sender");
        thread.setDaemon(true);
        return thread;
    };

    private final File dir;
    private MediaDriver driver;
    private Aeron aeron;
    private Publication publication;

    private RawAeronSender(final File dir)
    {
        this.dir = dir;
    }

    /** Starts a driver and a client and waits (at most {@code timeout}) until the node's subscription is connected. */
    public static RawAeronSender connect(final int port, final int streamId, final Duration timeout)
    {
        final File dir = new File("/dev/shm", "virgo-it-raw-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        final RawAeronSender sender = new RawAeronSender(dir);
        try
        {
            sender.driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(dir.getAbsolutePath())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy())
                .sharedThreadFactory(DAEMON)
                .sharedNetworkThreadFactory(DAEMON)
                .conductorThreadFactory(DAEMON)
                .senderThreadFactory(DAEMON)
                .receiverThreadFactory(DAEMON)
                .publicationTermBufferLength(64 * 1024)
                .ipcTermBufferLength(64 * 1024)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
            sender.aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(dir.getAbsolutePath())
                .threadFactory(DAEMON));
            sender.publication = sender.aeron.addPublication("aeron:udp?endpoint=127.0.0.1:" + port, streamId);
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (!sender.publication.isConnected())
            {
                if (System.nanoTime() > deadline)
                {
                    fail("raw publication to 127.0.0.1:" + port + " stream " + streamId + " not connected within " +
                        timeout);
                }
                JvmProcess.pause();
            }
            return sender;
        }
        catch (final RuntimeException | AssertionError ex)
        {
            sender.close();
            throw ex;
        }
    }

    /** Offers exactly these bytes as one Aeron message, retrying back pressure until {@code timeout}. */
    public void send(final byte[] message, final Duration timeout)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final long result = publication.offer(buffer, 0, message.length);
            if (result > 0)
            {
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                fail("raw publication cannot send: offer returned " + result);
            }
            if (System.nanoTime() > deadline)
            {
                fail("raw publication could not send " + message.length + " bytes within " + timeout +
                    " (last offer result " + result + ")");
            }
            JvmProcess.pause();
        }
    }

    /** @return a little-endian buffer that starts with Virgo's WHOLE transport frame (type 1, reserved 0). */
    public static ByteBuffer wholeFrame(final int messageLength)
    {
        final ByteBuffer frame = ByteBuffer.allocate(8 + messageLength).order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(1).putInt(0);
        return frame;
    }

    /** The wire version the node under test speaks: {@code MessageHeader.CURRENT_VERSION}, not on this class path. */
    public static final int WIRE_VERSION = 3;

    /** Writes Virgo's 24-byte message header. */
    public static ByteBuffer putHeader(
        final ByteBuffer buffer, final int type, final long originId, final long threadId)
    {
        return buffer.putShort((short)type).putShort((short)WIRE_VERSION).putInt(0).putLong(originId)
            .putLong(threadId);
    }

    /** Subscribes, in this sender's own driver, to a channel: e.g. to see whether a node ever publishes there. */
    public io.aeron.Subscription subscribe(final String channel, final int streamId)
    {
        return aeron.addSubscription(channel, streamId);
    }

    @Override
    public void close()
    {
        try
        {
            CloseHelper.quietCloseAll(publication, aeron, driver);
        }
        finally
        {
            IoUtil.delete(dir, true);
        }
    }

    @Override
    public String toString()
    {
        return "RawAeronSender{" + dir + "}";
    }
}
