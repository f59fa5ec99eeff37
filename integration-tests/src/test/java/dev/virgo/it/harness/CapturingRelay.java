package dev.virgo.it.harness;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The attacker on the path: receives what an origin sends to {@code 127.0.0.1:listenPort}, keeps a copy of every Aeron
 * message (a Virgo transport frame), and forwards it unchanged to a node on {@code 127.0.0.1:nodePort}. The node's
 * replies go straight to the origin (its HELLO names the origin's own reply channel). {@link #replay} sends a captured
 * frame to the node again. Needs {@code --add-exports java.base/jdk.internal.misc}.
 */
public final class CapturingRelay implements AutoCloseable
{
    private final File dir = new File("/dev/shm", "virgo-it-relay-" + ProcessHandle.current().pid() + "-" +
        System.nanoTime());
    private final List<byte[]> captured = new CopyOnWriteArrayList<>();
    private final MediaDriver driver;
    private final Aeron aeron;
    private final Subscription subscription;
    private final Publication toNode;
    private final Thread poller;
    private volatile boolean running = true;

    public CapturingRelay(final int listenPort, final int nodePort, final int streamId)
    {
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(dir.getAbsolutePath())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy())
            .publicationTermBufferLength(4 * 1024 * 1024)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.getAbsolutePath()));
        subscription = aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:" + listenPort, streamId);
        toNode = aeron.addPublication("aeron:udp?endpoint=127.0.0.1:" + nodePort, streamId);
        final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) ->
        {
            final byte[] frame = new byte[length];
            buffer.getBytes(offset, frame);
            captured.add(frame);
            send(frame);
        });
        poller = new Thread(() ->
        {
            final BackoffIdleStrategy idle = new BackoffIdleStrategy();
            while (running)
            {
                idle.idle(subscription.poll(assembler, 16));
            }
        }, "capturing-relay");
        poller.setDaemon(true);
        poller.start();
    }

    /** @return every frame relayed so far, in order. */
    public List<byte[]> captured()
    {
        return captured;
    }

    /** Sends a frame to the node as it was captured. */
    public void replay(final byte[] frame)
    {
        send(frame);
    }

    private void send(final byte[] frame)
    {
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (toNode.offer(new UnsafeBuffer(frame)) < 0 && System.nanoTime() < deadlineNs)
        {
            Thread.onSpinWait();
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        running = false;
        poller.join(5_000);
        CloseHelper.quietCloseAll(toNode, subscription, aeron, driver);
        IoUtil.delete(dir, true);
    }
}
