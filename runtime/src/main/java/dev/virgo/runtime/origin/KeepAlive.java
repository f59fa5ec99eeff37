package dev.virgo.runtime.origin;

/**
 * Keeps the origin JVM alive while a non-daemon moved thread runs, as the local thread would have: the JVM
 * exits only when no non-daemon thread is left, and a moved thread has no local thread. One non-daemon thread
 * waits while the count of running non-daemon moved threads is above zero; daemon moved threads never count.
 */
final class KeepAlive
{
    private int running;
    private Thread keeper;

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
            notifyAll();
        }
    }

    private synchronized void await()
    {
        try
        {
            while (running > 0)
            {
                wait();
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
