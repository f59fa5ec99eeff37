package dev.virgo.runtime.origin;

/**
 * Keeps the origin JVM alive while a non-daemon moved thread runs, as the local thread would have: the JVM
 * exits only when no non-daemon thread is left, and a moved thread has no local thread. One non-daemon thread
 * waits while the count of running non-daemon moved threads is above zero; daemon moved threads never count.
 *
 * <p>The keeper lingers {@link #LINGER_MS} after the count reaches zero, so that a program that starts and joins
 * moved threads in a loop does not start a local thread per move; the JVM's exit after its last non-daemon
 * thread ends may be that much later.
 */
final class KeepAlive
{
    static final long LINGER_MS = 100;

    private int running;
    private Thread keeper;
    private long idleSinceMs;

    synchronized void acquire()
    {
        running++;
        if (null == keeper)
        {
            keeper = new Thread(this::await, "virgo-keepalive");
            keeper.setDaemon(false);
            keeper.start();
        }
    }

    synchronized void release()
    {
        running--;
        if (running == 0)
        {
            idleSinceMs = System.currentTimeMillis();
            notifyAll();
        }
    }

    private synchronized void await()
    {
        try
        {
            while (true)
            {
                if (running > 0)
                {
                    wait();
                    continue;
                }
                final long leftMs = LINGER_MS - (System.currentTimeMillis() - idleSinceMs);
                if (leftMs <= 0)
                {
                    return;
                }
                wait(leftMs);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            keeper = null;
        }
    }
}
