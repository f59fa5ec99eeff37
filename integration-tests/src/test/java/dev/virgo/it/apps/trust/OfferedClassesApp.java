package dev.virgo.it.apps.trust;

import dev.virgo.it.apps.Check;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Four moved threads, one after the other. A prober asks its node's class loader for a class of the program that no
 * offered code names (the name is built at run time): the origin refuses to serve it. A hoarder keeps a
 * {@code ProcessBuilder}, a JDK class that is no plain value and that the origin never sent it, in its result: the
 * origin refuses to decode its final state, writes none of it back, and hands the refusal to the thread's handler.
 * A publisher adds one to a list it shares with the program, under the list's monitor: its node does not wait for the
 * origin at a monitor exit, so the refusal of that release reaches the thread at its next synchronization, which
 * throws; nothing of it is written into the program's list. A summer then moves and finishes as usual: the origin kept serving.
 */
public final class OfferedClassesApp
{
    static final class Prober implements Runnable
    {
        String refusal;
        long ranIn;

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final String name = String.join(".", "dev", "virgo", "it", "apps", "trust", "Unnamed" + "Gadget");
            try
            {
                refusal = "loaded " + Class.forName(name);
            }
            catch (final ClassNotFoundException ex)
            {
                refusal = ex.getMessage();
            }
        }
    }

    static final class Hoarder implements Runnable
    {
        Object kept;
        int done;

        @Override
        public void run()
        {
            kept = new ProcessBuilder("true");
            done = 1;
        }
    }

    static final class Publisher implements Runnable
    {
        final java.util.List<Object> board;
        boolean wentOn;

        Publisher(final java.util.List<Object> board)
        {
            this.board = board;
        }

        @Override
        public void run()
        {
            synchronized (board)
            {
                board.add(new ProcessBuilder("true"));
            }
            synchronized (board)
            {
                wentOn = true;
            }
        }
    }

    static final class Summer implements Runnable
    {
        long sum;
        long ranIn;

        @Override
        public void run()
        {
            for (int i = 1; i <= 100; i++)
            {
                sum += i;
            }
            ranIn = Check.pid();
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Prober prober = new Prober();
        final Thread probing = new Thread(prober);
        probing.start();
        probing.join(30_000);
        Check.that("prober-moved", prober.ranIn != Check.pid() && prober.ranIn != 0, prober.ranIn);
        Check.that("class-refused", null != prober.refusal &&
            prober.refusal.contains("UnnamedGadget is not among the classes offered to this node"), prober.refusal);

        final Hoarder hoarder = new Hoarder();
        final Thread hoarding = new Thread(hoarder);
        final AtomicReference<Throwable> handed = new AtomicReference<>();
        final CountDownLatch handled = new CountDownLatch(1);
        hoarding.setUncaughtExceptionHandler((thread, ex) ->
        {
            handed.set(ex);
            handled.countDown();
        });
        hoarding.start();
        hoarding.join(30_000);
        final boolean wasHanded = handled.await(30, TimeUnit.SECONDS);
        Check.that("final-state-refused", wasHanded && String.valueOf(handed.get()).contains(
            "java.lang.ProcessBuilder is not offered to thread"), handed.get());
        Check.that("nothing-merged", null == hoarder.kept && 0 == hoarder.done, hoarder.kept + ", " + hoarder.done);

        final java.util.List<Object> board = new java.util.ArrayList<>();
        final Publisher publisher = new Publisher(board);
        final Thread publishing = new Thread(publisher);
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final CountDownLatch caught = new CountDownLatch(1);
        publishing.setUncaughtExceptionHandler((thread, ex) ->
        {
            thrown.set(ex);
            caught.countDown();
        });
        publishing.start();
        publishing.join(30_000);
        final boolean wasCaught = caught.await(30, TimeUnit.SECONDS);
        Check.that("release-refused", wasCaught && String.valueOf(thrown.get()).contains(
            "java.lang.ProcessBuilder is not offered to thread"), thrown.get());
        synchronized (board)
        {
            Check.that("nothing-published", board.isEmpty() && !publisher.wentOn, board + ", " + publisher.wentOn);
        }

        final Summer summer = new Summer();
        final Thread summing = new Thread(summer);
        summing.start();
        summing.join(30_000);
        Check.that("still-serving", 5050 == summer.sum && summer.ranIn != Check.pid() && summer.ranIn != 0,
            summer.sum + " in " + summer.ranIn);
        System.out.println("DONE");
    }
}
