package dev.virgo.it.apps.identity;

import dev.virgo.it.apps.Check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Inside a moved thread, the thread object the code sees (as {@code this} in a {@code Thread} subclass, and as
 * {@code Thread.currentThread()}) answers as the thread the program started: interrupt status, name, id, priority,
 * daemon flag, liveness and state, thread locals, uncaught-exception handler. Each idiom is written the way ordinary
 * code writes it, and each thread records the pid it ran in. Run with
 * {@code offload=dev.virgo.it.apps.identity.ThreadIdentityApp*}.
 *
 * <p>The loopers end only when interrupted; every wait for them is bounded, so a failure is a FAIL line, and main ends
 * the program itself if one of them never ends.
 */
public final class ThreadIdentityApp
{
    static final long WAIT_MS = 30_000;
    static final ThreadLocal<String> LOCAL = new ThreadLocal<>();
    static final ThreadLocal<Integer> COUNTER = new ThreadLocal<>();

    /** Records what is handed to it; a named class, so the handler at the origin is the instance main made. */
    static final class Recorder implements Thread.UncaughtExceptionHandler
    {
        final List<Throwable> thrown = Collections.synchronizedList(new ArrayList<>());
        final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void uncaughtException(final Thread thread, final Throwable ex)
        {
            threads.add(thread);
            thrown.add(ex);
        }
    }

    /** A worker thread that loops until interrupted, as {@code Thread} subclasses commonly do. */
    static final class Looper extends Thread
    {
        long ranIn;
        boolean currentIsThis;
        String nameSeen;
        long idSeen;
        int prioritySeen;
        boolean daemonSeen;
        boolean aliveSeen;
        Thread.State stateSeen;
        String localSeen;
        int counterSeen;
        String callerSeen;
        boolean ownHandlerSeen;
        long loops;
        boolean interruptedAtEnd;

        Looper()
        {
            super("identity-looper");
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            currentIsThis = Thread.currentThread() == this;
            nameSeen = getName();
            idSeen = getId();
            prioritySeen = getPriority();
            daemonSeen = isDaemon();
            aliveSeen = isAlive();
            stateSeen = getState();
            LOCAL.set("looper's own");
            final Integer count = COUNTER.get();
            COUNTER.set(null == count ? 1 : count + 1);
            localSeen = LOCAL.get();
            counterSeen = COUNTER.get();
            callerSeen = Thread.currentThread().getStackTrace()[1].getMethodName();
            final Thread.UncaughtExceptionHandler handler = getUncaughtExceptionHandler();
            ownHandlerSeen = handler != getThreadGroup();
            handler.uncaughtException(this, new IllegalStateException("handed over by the looper"));
            while (!isInterrupted())
            {
                loops++;
                try
                {
                    Thread.sleep(1);
                }
                catch (final InterruptedException ex)
                {
                    interrupt(); // keep the status for the loop's test, as such loops do
                }
            }
            interruptedAtEnd = isInterrupted();
        }
    }

    /** A Runnable that asks its thread about itself and loops until that thread is interrupted. */
    static final class Spinner implements Runnable
    {
        long ranIn;
        boolean sameObjectTwice;
        String nameSeen;
        long idSeen;
        int prioritySeen;
        boolean daemonSeen;
        boolean aliveSeen;
        Thread.State stateSeen;
        boolean defaultHandlerSeen;
        String localSeen;
        boolean interruptedAtEnd;

        @Override
        public void run()
        {
            final Thread me = Thread.currentThread();
            ranIn = Check.pid();
            sameObjectTwice = me == Thread.currentThread();
            nameSeen = me.getName();
            idSeen = me.getId();
            prioritySeen = me.getPriority();
            daemonSeen = me.isDaemon();
            aliveSeen = me.isAlive();
            stateSeen = me.getState();
            defaultHandlerSeen = me.getUncaughtExceptionHandler() == me.getThreadGroup();
            LOCAL.set("spinner's own");
            localSeen = LOCAL.get();
            while (!Thread.currentThread().isInterrupted())
            {
                try
                {
                    Thread.sleep(1);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            interruptedAtEnd = Thread.currentThread().isInterrupted();
        }
    }

    /**
     * A Runnable that starts a helper thread of its own, on its node, and joins it: the helper holds
     * {@code Thread.currentThread()} of the moved thread and sees it alive, then waiting for the helper to end.
     * (A moved thread that parks is not moved at all: it could be waiting for an unpark from another JVM.)
     */
    static final class Joiner implements Runnable
    {
        long ranIn;
        boolean helperEnded;
        boolean helperSawParentAlive;
        boolean helperSawParentWaiting;

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final Thread parent = Thread.currentThread();
            final boolean[] seen = new boolean[2];
            final Thread helper = new Thread(() ->
            {
                seen[0] = parent.isAlive();
                final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
                try
                {
                    while (parent.getState() != Thread.State.WAITING && System.nanoTime() < deadline)
                    {
                        Thread.sleep(1);
                    }
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                seen[1] = parent.getState() == Thread.State.WAITING;
            }, "joiner-helper");
            helper.start();
            try
            {
                helper.join(); // untimed, so the parent is WAITING; the helper bounds its own wait
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            helperEnded = !helper.isAlive();
            helperSawParentAlive = seen[0];
            helperSawParentWaiting = seen[1];
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final long origin = Check.pid();

        final Recorder recorder = new Recorder();
        final Looper looper = new Looper();
        looper.setDaemon(true);
        looper.setPriority(Thread.NORM_PRIORITY + 2);
        looper.setUncaughtExceptionHandler(recorder);
        final long looperId = looper.getId();

        final Spinner spinner = new Spinner();
        final Thread spinnerThread = new Thread(spinner, "identity-spinner");
        spinnerThread.setPriority(Thread.MIN_PRIORITY + 1);
        final long spinnerId = spinnerThread.getId();

        final Joiner joiner = new Joiner();
        final Thread joinerThread = new Thread(joiner, "identity-joiner");

        looper.start();
        spinnerThread.start();
        joinerThread.start();

        Check.that("looper-reached-its-loop", awaitState(looper, Thread.State.TIMED_WAITING), looper.getState());
        looper.interrupt();
        looper.join(WAIT_MS);
        Check.that("looper-ended-by-interrupt", !looper.isAlive(),
            "still running " + WAIT_MS + " ms after interrupt()");
        Check.that("looper-moved", looper.ranIn != 0 && looper.ranIn != origin, looper.ranIn);
        Check.that("looper-saw-its-interrupt", looper.interruptedAtEnd && looper.loops > 0,
            "interrupted at end " + looper.interruptedAtEnd + " after " + looper.loops + " loops");
        Check.that("looper-current-thread-is-this", looper.currentIsThis, "Thread.currentThread() != this");
        Check.that("looper-name", "identity-looper".equals(looper.nameSeen), looper.nameSeen);
        Check.that("looper-id", looper.idSeen == looperId, looper.idSeen + ", at the origin " + looperId);
        Check.that("looper-priority", looper.prioritySeen == Thread.NORM_PRIORITY + 2, looper.prioritySeen);
        Check.that("looper-daemon", looper.daemonSeen, "isDaemon() false");
        Check.that("looper-alive", looper.aliveSeen, "isAlive() false while it ran");
        Check.that("looper-state", looper.stateSeen == Thread.State.RUNNABLE, looper.stateSeen);
        Check.that("looper-thread-locals", "looper's own".equals(looper.localSeen) && looper.counterSeen == 1,
            looper.localSeen + " " + looper.counterSeen);
        Check.that("looper-stack-trace", "run".equals(looper.callerSeen), looper.callerSeen);
        Check.that("looper-own-handler", looper.ownHandlerSeen, "getUncaughtExceptionHandler() is its thread group");
        Check.that("looper-handler-reached",
            recorder.thrown.size() == 1 && "handed over by the looper".equals(recorder.thrown.get(0).getMessage()) &&
            recorder.threads.get(0) == looper, recorder.thrown + " " + recorder.threads);

        Check.that("spinner-reached-its-loop", awaitState(spinnerThread, Thread.State.TIMED_WAITING),
            spinnerThread.getState());
        spinnerThread.interrupt();
        spinnerThread.join(WAIT_MS);
        Check.that("spinner-ended-by-interrupt", !spinnerThread.isAlive(),
            "still running " + WAIT_MS + " ms after interrupt()");
        Check.that("spinner-moved", spinner.ranIn != 0 && spinner.ranIn != origin, spinner.ranIn);
        Check.that("spinner-saw-its-interrupt", spinner.interruptedAtEnd, "not interrupted at the end");
        Check.that("spinner-current-thread-stable", spinner.sameObjectTwice, "two objects");
        Check.that("spinner-name", "identity-spinner".equals(spinner.nameSeen), spinner.nameSeen);
        Check.that("spinner-id", spinner.idSeen == spinnerId, spinner.idSeen + ", at the origin " + spinnerId);
        Check.that("spinner-priority", spinner.prioritySeen == Thread.MIN_PRIORITY + 1, spinner.prioritySeen);
        Check.that("spinner-not-daemon", !spinner.daemonSeen, "isDaemon() true");
        Check.that("spinner-alive", spinner.aliveSeen, "isAlive() false while it ran");
        Check.that("spinner-state", spinner.stateSeen == Thread.State.RUNNABLE, spinner.stateSeen);
        Check.that("spinner-default-handler", spinner.defaultHandlerSeen, "a handler other than its thread group");
        Check.that("spinner-thread-local", "spinner's own".equals(spinner.localSeen), spinner.localSeen);

        joinerThread.join(WAIT_MS * 3);
        Check.that("joiner-moved", joiner.ranIn != 0 && joiner.ranIn != origin, joiner.ranIn);
        Check.that("joiner-helper-ended", joiner.helperEnded, "its helper still ran");
        Check.that("joiner-alive-to-its-helper", joiner.helperSawParentAlive, "isAlive() false");
        Check.that("joiner-waiting-to-its-helper", joiner.helperSawParentWaiting, "never WAITING");

        if (spinnerThread.isAlive() || joinerThread.isAlive())
        {
            System.out.println("FAIL threads-ended: a moved thread is still running; ending the program");
            System.exit(1);
        }
        System.out.println("DONE");
    }

    /** The remote state, asked until it is {@code state} or the wait is over. */
    private static boolean awaitState(final Thread thread, final Thread.State state) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (thread.getState() != state)
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
