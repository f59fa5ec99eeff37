package dev.virgo.it.apps.lifecycle;

import dev.virgo.it.apps.Check;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A timed join returns on time whoever else waits: with one thread in {@code join()} on a moved thread that sleeps,
 * {@code join(200)} from another returns after about 200 ms, not when the moved thread ends. Then several threads
 * in {@code join()} and {@code join(0)} at once all return once it ends, and each sees its write. Run with
 * {@code offload=dev.virgo.it.apps.lifecycle.TimedJoinApp$Sleeper}: the joiners stay here.
 */
public final class TimedJoinApp
{
    static final long SLEEP_MS = 20_000;
    static final long TIMED_JOIN_MS = 200;
    /** Generous: a timed join that waits for the other joiner takes the whole sleep. */
    static final long TIMED_JOIN_BOUND_MS = 2_000;
    static final long TIMEOUT_MS = 60_000;

    static final class Sleeper implements Runnable
    {
        long ranIn;
        boolean interrupted;

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                Thread.sleep(SLEEP_MS);
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
    }

    /** A local thread in {@code join()} or {@code join(0)}; records what it saw when its join returned. */
    static final class Joiner implements Runnable
    {
        final Thread target;
        final Sleeper sleeper;
        final boolean zero;
        volatile boolean returned;
        volatile boolean sawEnd;
        volatile Throwable failure;

        Joiner(final Thread target, final Sleeper sleeper, final boolean zero)
        {
            this.target = target;
            this.sleeper = sleeper;
            this.zero = zero;
        }

        @Override
        public void run()
        {
            try
            {
                if (zero)
                {
                    target.join(0);
                }
                else
                {
                    target.join();
                }
                sawEnd = !target.isAlive() && sleeper.interrupted;
                returned = true;
            }
            catch (final Throwable ex)
            {
                failure = ex;
            }
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final Sleeper sleeper = new Sleeper();
        final Thread moved = new Thread(sleeper, "sleeper");
        moved.start();
        awaitState(moved, Thread.State.TIMED_WAITING, "the moved thread asleep");

        final List<Joiner> joiners = new ArrayList<>();
        final List<Thread> joinerThreads = new ArrayList<>();
        final Joiner first = new Joiner(moved, sleeper, false);
        final Thread firstThread = new Thread(first, "joiner-0");
        firstThread.start();
        joiners.add(first);
        joinerThreads.add(firstThread);
        awaitState(firstThread, Thread.State.WAITING, "a thread in join()");

        final long startNs = System.nanoTime();
        moved.join(TIMED_JOIN_MS);
        final long timedJoinMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        System.out.println("join(" + TIMED_JOIN_MS + ") took " + timedJoinMs + " ms while another thread joined");
        Check.that("timed-join-returns-on-time-while-another-joins",
            timedJoinMs >= TIMED_JOIN_MS - 1 && timedJoinMs < TIMED_JOIN_BOUND_MS,
            "join(" + TIMED_JOIN_MS + ") took " + timedJoinMs + " ms");
        Check.that("still-alive-after-timed-join", moved.isAlive(), moved.getState());

        for (int i = 1; i <= 4; i++)
        {
            final Joiner joiner = new Joiner(moved, sleeper, i % 2 == 0);
            final Thread thread = new Thread(joiner, "joiner-" + i);
            thread.start();
            joiners.add(joiner);
            joinerThreads.add(thread);
        }
        for (final Thread thread : joinerThreads)
        {
            awaitState(thread, Thread.State.WAITING, thread.getName() + " in join()");
        }
        final long secondStartNs = System.nanoTime();
        moved.join(TIMED_JOIN_MS);
        final long secondTimedJoinMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - secondStartNs);
        Check.that("timed-join-returns-on-time-while-five-join", secondTimedJoinMs < TIMED_JOIN_BOUND_MS,
            "join(" + TIMED_JOIN_MS + ") took " + secondTimedJoinMs + " ms");

        int stillWaiting = 0;
        for (final Joiner joiner : joiners)
        {
            stillWaiting += joiner.returned ? 0 : 1;
        }
        Check.that("joins-wait-while-it-runs", stillWaiting == joiners.size(),
            (joiners.size() - stillWaiting) + " joiners returned before the end");

        moved.interrupt();
        int returned = 0;
        int sawEnd = 0;
        for (int i = 0; i < joiners.size(); i++)
        {
            joinerThreads.get(i).join(TIMEOUT_MS);
            returned += joiners.get(i).returned ? 1 : 0;
            sawEnd += joiners.get(i).sawEnd ? 1 : 0;
            if (null != joiners.get(i).failure)
            {
                joiners.get(i).failure.printStackTrace();
            }
        }
        Check.that("every-join-returns-after-the-end", returned == joiners.size(),
            returned + " of " + joiners.size() + " joins returned");
        Check.that("every-joiner-sees-the-write-back", sawEnd == joiners.size(),
            sawEnd + " of " + joiners.size() + " saw the thread ended and its write");
        Check.that("sleeper-moved", sleeper.ranIn != 0 && sleeper.ranIn != Check.pid(), sleeper.ranIn);
        System.out.println("DONE");
    }

    private static void awaitState(final Thread thread, final Thread.State state, final String what)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (thread.getState() != state)
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("no " + what + " within " + TIMEOUT_MS + " ms: " + thread.getState());
            }
            Thread.sleep(10);
        }
    }
}
