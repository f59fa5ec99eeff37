package dev.virgo.dsm.member;

import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.transport.IdleStrategies;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The member's one conductor thread, which handles every message it receives, both the member's (grants,
 * invalidations, fetches) and the home's (requests, acknowledgements): it runs the work other threads hand it, then
 * polls the links through the {@link CoherenceAdapter}, and idles when there was nothing to do. An error in one
 * message is logged, and the conductor goes on.
 */
final class MemberConductor
{
    private static final int FRAGMENT_LIMIT = 64;

    private final int self;
    private final MemberLinks links;
    private final CoherenceAdapter adapter;
    private final IdleStrategy idle;
    private final Thread thread;
    /** Work handed to the conductor by other threads (a member leaving). */
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    /** @param idleStrategy e.g. {@code backoff}. */
    MemberConductor(
        final int self, final MemberLinks links, final CoherenceAdapter adapter, final String idleStrategy)
    {
        this.self = self;
        this.links = links;
        this.adapter = adapter;
        this.idle = IdleStrategies.forName(idleStrategy);
        this.thread = new Thread(this::run, "virgo-dsm-" + self);
        this.thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    /** Any thread: runs {@code task} on the conductor, before the next messages it polls. */
    void submit(final Runnable task)
    {
        tasks.add(task);
    }

    private void run()
    {
        while (running)
        {
            int work = 0;
            try
            {
                Runnable task;
                while (null != (task = tasks.poll()))
                {
                    task.run();
                    work++;
                }
                work += links.poll(adapter, FRAGMENT_LIMIT);
            }
            catch (final RuntimeException ex)
            {
                VirgoLog.error("shared heap member " + self + ": " + ex.getMessage(), ex);
            }
            idle.idle(work);
        }
    }

    /** Stops the conductor, waiting up to 5 s for it to finish what it is doing. */
    void close()
    {
        running = false;
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
