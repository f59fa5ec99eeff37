package dev.virgo.it.fuzz;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * The fuzzer's end of the wire: a media driver of its own (as a sender on another machine would have), one raw Aeron
 * publication to the target's UDP endpoint, and a subscription where the target's replies arrive (a node answers a
 * HELLO there; an origin and a heap member ignore it). Every frame is exactly the bytes given: the fuzzer writes the
 * transport frame itself, or garbage.
 * <p>
 * A target that stops reading shows here as back pressure that does not clear: {@link #send} fails after its timeout,
 * so a hang is a failure, never a wait without end.
 */
public final class FuzzLink implements AutoCloseable
{
    /** Big enough for frames up to 128 KiB (an eighth of the term), small enough for a busy machine. */
    private static final int TERM_LENGTH = 1024 * 1024;

    private static final ThreadFactory DAEMON = runnable ->
    {
        final Thread thread = new Thread(runnable, "fuzz-aeron");
        thread.setDaemon(true);
        return thread;
    };

    private static final FragmentHandler DISCARD = (buffer, offset, length, header) -> { };

    private final File dir;
    private final String target;
    private MediaDriver driver;
    private Aeron aeron;
    private Publication publication;
    private Subscription replies;
    private String replyChannel;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[0]);
    private long backPressureEvents;
    /** One assembler for the link's life, so that a reply in several fragments is put together across polls. */
    private FragmentHandler replyHandler = DISCARD;
    private final FragmentAssembler replyAssembler =
        new FragmentAssembler((buffer, offset, length, header) -> replyHandler.onFragment(buffer, offset, length, header));

    private FuzzLink(final File dir, final String target)
    {
        this.dir = dir;
        this.target = target;
    }

    /**
     * Starts the driver, publishes to {@code channel} and waits, at most {@code timeout}, for the target to connect.
     *
     * @param channel  e.g. {@code aeron:udp?endpoint=127.0.0.1:40123}.
     * @param streamId the target's stream.
     */
    public static FuzzLink open(final String channel, final int streamId, final Duration timeout)
    {
        final File dir = new File("/dev/shm", "virgo-fuzz-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        final FuzzLink link = new FuzzLink(dir, channel + " stream " + streamId);
        try
        {
            link.driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(dir.getAbsolutePath())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy())
                .sharedThreadFactory(DAEMON)
                .sharedNetworkThreadFactory(DAEMON)
                .conductorThreadFactory(DAEMON)
                .senderThreadFactory(DAEMON)
                .receiverThreadFactory(DAEMON)
                .publicationTermBufferLength(TERM_LENGTH)
                .ipcTermBufferLength(64 * 1024)
                .termBufferSparseFile(true)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
            link.aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(dir.getAbsolutePath())
                .threadFactory(DAEMON));
            link.replies = link.aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:0", FuzzTarget.REPLY_STREAM_ID);
            link.publication = link.aeron.addPublication(channel, streamId);
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (!link.publication.isConnected() || null == link.replyChannel)
            {
                if (null == link.replyChannel)
                {
                    link.replyChannel = link.replies.tryResolveChannelEndpointPort();
                }
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("fuzz publication to " + link.target + " not connected within " +
                        timeout);
                }
                LockSupport.parkNanos(1_000_000);
            }
            return link;
        }
        catch (final RuntimeException ex)
        {
            link.close();
            throw ex;
        }
    }

    /** @return the channel, port resolved, where this link receives: what a HELLO names as its reply channel. */
    public String replyChannel()
    {
        return replyChannel;
    }

    /** @return the largest frame one Aeron message can carry here. */
    public int maxFrameLength()
    {
        return publication.maxMessageLength();
    }

    /**
     * Offers exactly {@code length} bytes as one Aeron message, retrying back pressure until {@code timeout}.
     *
     * @throws IllegalStateException when the target did not take the frame in time: it stopped reading.
     */
    public void send(final byte[] bytes, final int length, final Duration timeout)
    {
        frame.wrap(bytes, 0, length);
        long deadline = 0;
        while (true)
        {
            final long result = publication.offer(frame, 0, length);
            if (result > 0)
            {
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new IllegalStateException("fuzz publication to " + target + " cannot send: offer returned " +
                    result);
            }
            if (0 == deadline)
            {
                deadline = System.nanoTime() + timeout.toNanos();
                backPressureEvents++;
            }
            else if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("target " + target + " took no frame for " + timeout +
                    " (offer result " + result + ", connected " + publication.isConnected() + "): it hangs or died");
            }
            // The target may be waiting to send to this link: reading its replies while we wait keeps both moving.
            replies.poll(replyAssembler, 64);
            LockSupport.parkNanos(50_000);
        }
    }

    /** Hands the replies that arrived so far (up to 64 fragments) to the handler; returns the fragments read. */
    public int pollReplies(final FragmentHandler handler)
    {
        replyHandler = handler;
        try
        {
            return replies.poll(replyAssembler, 64);
        }
        finally
        {
            replyHandler = DISCARD;
        }
    }

    /** @return how many sends met back pressure at least once: the target was slower than the fuzzer. */
    public long backPressureEvents()
    {
        return backPressureEvents;
    }

    /** @return true while the target's subscription is connected to this link's publication. */
    public boolean isConnected()
    {
        return null != publication && publication.isConnected();
    }

    @Override
    public void close()
    {
        try
        {
            CloseHelper.quietCloseAll(publication, replies, aeron, driver);
        }
        finally
        {
            IoUtil.delete(dir, true);
        }
    }

    @Override
    public String toString()
    {
        return "FuzzLink{" + target + "}";
    }
}
