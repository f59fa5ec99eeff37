package dev.virgo.it.apps.lifecycle;

import dev.virgo.it.apps.Check;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Whatever goes wrong while the origin completes a moved thread, {@code join()} returns and the failure reaches the
 * thread's uncaught-exception handler. The trigger is real: classes whose static initializer succeeds on a node but
 * fails at the origin (decided by their class loader), reached from what the thread leaves behind, so that the
 * origin meets an {@link ExceptionInInitializerError} while it writes back or rebuilds what the thread threw.
 * Run with {@code offload=} naming this class.
 */
public final class CompletionFailureApp
{
    static final long JOIN_TIMEOUT_MS = 20_000;

    /** Static initializers of the classes below call this: it fails unless the class was defined on a node. */
    static void requireNode(final Class<?> type)
    {
        final ClassLoader loader = type.getClassLoader();
        if (null == loader || !"dev.virgo.runtime.node.ThreadClassLoader".equals(loader.getClass().getName()))
        {
            throw new IllegalStateException(type.getSimpleName() + " initializes only on a node, not in " + loader);
        }
    }

    static final class NodeOnlyResult
    {
        static
        {
            requireNode(NodeOnlyResult.class);
        }

        final long madeIn = Check.pid();
    }

    static final class NodeOnlyDetail
    {
        static
        {
            requireNode(NodeOnlyDetail.class);
        }

        final String text = "detail";
    }

    /** An exception of an ordinary class whose own field holds an object of a class that cannot initialize here. */
    static final class CarryingException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
        final NodeOnlyDetail detail;

        CarryingException(final String message, final NodeOnlyDetail detail)
        {
            super(message);
            this.detail = detail;
        }
    }

    /** Leaves an object of a class that cannot initialize at the origin in an array of its graph. */
    static final class ResultInArray implements Runnable
    {
        final Object[] results = new Object[1];

        @Override
        public void run()
        {
            results[0] = new NodeOnlyResult();
        }
    }

    static final class ThrowsCarrying implements Runnable
    {
        @Override
        public void run()
        {
            throw new CarryingException("carried on purpose", new NodeOnlyDetail());
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final Outcome written = run(new ResultInArray(), "result-in-array");
        Check.that("join-returns-when-the-write-back-fails", written.joined, "still alive after " +
            JOIN_TIMEOUT_MS + " ms");
        final Throwable writeFailure = written.reported.get();
        Check.that("write-back-failure-reaches-the-handler", null != writeFailure &&
            "dev.virgo.api.VirgoException".equals(writeFailure.getClass().getName()) &&
            writeFailure.getMessage().contains("'result-in-array'") && writeFailure.getMessage().contains("node-") &&
            causedBy(writeFailure, ExceptionInInitializerError.class), describe(writeFailure));

        final Outcome thrown = run(new ThrowsCarrying(), "throws-carrying");
        Check.that("join-returns-when-what-it-threw-cannot-be-rebuilt", thrown.joined, "still alive after " +
            JOIN_TIMEOUT_MS + " ms");
        final Throwable carried = thrown.reported.get();
        Check.that("exception-reaches-the-handler-without-what-cannot-be-rebuilt",
            carried instanceof CarryingException && "carried on purpose".equals(carried.getMessage()) &&
            null == ((CarryingException)carried).detail, describe(carried));
        System.out.println("DONE");
    }

    private static final class Outcome
    {
        final AtomicReference<Throwable> reported = new AtomicReference<>();
        boolean joined;
    }

    private static Outcome run(final Runnable task, final String name) throws InterruptedException
    {
        final Outcome outcome = new Outcome();
        final Thread thread = new Thread(task, name);
        thread.setUncaughtExceptionHandler((t, e) -> outcome.reported.set(e));
        thread.start();
        thread.join(JOIN_TIMEOUT_MS);
        outcome.joined = !thread.isAlive();
        return outcome;
    }

    private static boolean causedBy(final Throwable thrown, final Class<? extends Throwable> type)
    {
        for (Throwable t = thrown; null != t; t = t.getCause())
        {
            if (type.isInstance(t))
            {
                return true;
            }
        }
        return false;
    }

    private static String describe(final Throwable thrown)
    {
        if (null == thrown)
        {
            return "the handler received nothing";
        }
        final StringBuilder text = new StringBuilder(thrown.toString());
        for (Throwable t = thrown.getCause(); null != t; t = t.getCause())
        {
            text.append(" <- ").append(t);
        }
        return text.toString();
    }
}
