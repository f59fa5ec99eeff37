package dev.virgo.it.apps.node;

import dev.virgo.it.apps.Check;

import java.util.concurrent.TimeUnit;

/**
 * One moved thread that runs for the number of milliseconds given as the first argument, printing {@code tick N}
 * every 100 ms, then ends normally. Run with {@code nodes=127.0.0.1:PORT,offload=dev.virgo.it.apps.node.TickerApp*}.
 */
public final class TickerApp
{
    static final class Ticker implements Runnable
    {
        final long durationMs;
        long ranIn;
        int ticks;
        /** Set when the loop reached its end time: it ran its whole course, however many ticks a busy machine fit in. */
        boolean ranItsCourse;
        String failure;

        Ticker(final long durationMs)
        {
            this.durationMs = durationMs;
        }

        @Override
        public void run()
        {
            ranIn = ProcessHandle.current().pid();
            final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs);
            try
            {
                while (System.nanoTime() < end)
                {
                    System.out.println("tick " + ticks++);
                    Thread.sleep(100);
                }
                ranItsCourse = true;
            }
            catch (final InterruptedException ex)
            {
                failure = "interrupted after " + ticks + " ticks";
            }
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final long durationMs = Long.parseLong(args[0]);
        final Ticker ticker = new Ticker(durationMs);
        final Thread thread = new Thread(ticker, "ticker");
        thread.setUncaughtExceptionHandler((t, ex) -> System.out.println("FAIL ticker-uncaught: " + ex));
        thread.start();
        thread.join(durationMs + 30_000);
        Check.that("ticker-ended", !thread.isAlive(), "still alive");
        Check.that("ticker-moved", ticker.ranIn != 0 && ticker.ranIn != Check.pid(), ticker.ranIn);
        Check.that("ticker-not-interrupted", null == ticker.failure, ticker.failure);
        Check.that("ticker-ran-its-course", ticker.ranItsCourse && ticker.ticks > 0, ticker.ticks + " ticks");
        System.out.println("RAN-IN ticker " + ticker.ranIn);
        System.out.println("DONE");
    }
}
