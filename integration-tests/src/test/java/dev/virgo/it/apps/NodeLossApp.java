package dev.virgo.it.apps;

/**
 * A moved thread whose node dies: the origin's handler is told, naming the node, and join() returns. Run with
 * {@code localNodes=1}; the test kills the node once this prints "sleeping remotely".
 */
public final class NodeLossApp
{
    static final class Sleeper implements Runnable
    {
        @Override
        public void run()
        {
            try
            {
                Thread.sleep(600_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final Thread thread = new Thread(new Sleeper(), "sleeper");
        final Throwable[] reported = new Throwable[1];
        thread.setUncaughtExceptionHandler((t, e) -> reported[0] = e);
        thread.start();
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline)
        {
            thread.join(20);
        }
        System.out.println("sleeping remotely");
        thread.join();
        final Throwable e = reported[0];
        Check.that("node-loss-reported", null != e && e.getClass().getSimpleName().equals("NodeLostException") &&
            e.getMessage().contains("node-1") && e.getMessage().contains("sleeper"), e);
        Check.that("not-alive-after-loss", !thread.isAlive(), thread.getState());
        System.out.println("DONE");
    }
}
