package dev.virgo.runtime.transport;

import org.agrona.concurrent.IdleStrategy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Polls an Inbox on its own thread with the backoff idle strategy (never a busy spin), keeping a copy of every
 * message, until closed.
 */
final class TestPoller implements AutoCloseable
{
    private final Inbox inbox;
    private final Thread thread;
    private final List<byte[]> messages = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile Throwable failure;

    TestPoller(final Inbox inbox)
    {
        this.inbox = inbox;
        this.thread = new Thread(this::run, "test-poller-" + inbox.streamId());
        thread.setDaemon(true);
        thread.start();
    }

    private void run()
    {
        final IdleStrategy idle = IdleStrategies.forName(IdleStrategies.BACKOFF);
        final MessageHandler handler = (buffer, offset, length) ->
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            messages.add(copy);
        };
        try
        {
            while (running)
            {
                idle.idle(inbox.poll(handler, 16));
            }
        }
        catch (final Throwable t)
        {
            failure = t;
        }
    }

    List<byte[]> messages()
    {
        return messages;
    }

    List<byte[]> awaitMessages(final int count, final long timeoutMs) throws InterruptedException
    {
        return await((m) -> m.size() >= count, timeoutMs, "messages=" + count);
    }

    List<byte[]> await(final Predicate<List<byte[]>> condition, final long timeoutMs, final String what)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.test(messages))
        {
            if (null != failure)
            {
                throw new AssertionError("poller failed", failure);
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what + "; got " +
                    messages.size() + " messages");
            }
            Thread.sleep(1);
        }
        return messages;
    }

    public void close()
    {
        running = false;
        try
        {
            thread.join(10_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive())
        {
            throw new AssertionError("poller thread did not stop");
        }
    }
}
