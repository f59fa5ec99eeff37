package dev.virgo.it.apps.shapes;

import dev.virgo.api.Offload;
import dev.virgo.it.apps.Check;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Every way a program makes a thread, each recording the pid it ran in. Run with
 * {@code offload=dev.virgo.it.apps.shapes.*}: all but the pool task and the JDK's own threads must move.
 */
public class ThreadShapesApp
{
    static final long ORIGIN = Check.pid();

    /** Package-private, not Serializable, no no-arg constructor. */
    static final class Plain implements Runnable
    {
        private final int seed;
        long ranIn;

        Plain(final int seed)
        {
            this.seed = seed;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid() + seed * 0L;
        }
    }

    /** An inner (non-static) class: reads a field of its enclosing instance and writes another. */
    final class Inner implements Runnable
    {
        long ranIn;

        @Override
        public void run()
        {
            ranIn = Check.pid();
            ThreadShapesApp.this.innerResult = factor * 6;
        }
    }

    /** A named Thread subclass that starts itself in its constructor. */
    static final class SelfStarting extends Thread
    {
        long ranIn;

        SelfStarting()
        {
            super("self-starting");
            start();
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
        }
    }

    final int factor = 7;
    long innerResult;
    long methodRefRanIn;

    void methodRefTarget()
    {
        methodRefRanIn = Check.pid();
    }

    public static void main(final String[] args) throws Exception
    {
        final ThreadShapesApp app = new ThreadShapesApp();

        final Plain[] plains = new Plain[6];
        for (int i = 0; i < plains.length; i++)
        {
            plains[i] = new Plain(i);
        }
        final ThreadGroup group = new ThreadGroup("shapes");
        final Thread[] constructors = {
            new Thread(plains[0]),
            new Thread(plains[1], "named"),
            new Thread(group, plains[2]),
            new Thread(group, plains[3], "grouped"),
            new Thread(group, plains[4], "stack", 1 << 20),
            new Thread(group, plains[5], "inherit", 0, false),
        };
        for (final Thread thread : constructors)
        {
            thread.start();
        }
        for (int i = 0; i < constructors.length; i++)
        {
            constructors[i].join();
            Check.that("constructor-" + i + "-moved", plains[i].ranIn != ORIGIN && plains[i].ranIn != 0,
                "ran in " + plains[i].ranIn + ", origin is " + ORIGIN);
        }

        final Inner inner = app.new Inner();
        final Thread innerThread = new Thread(inner);
        innerThread.start();
        innerThread.join();
        Check.that("inner-class-moved", inner.ranIn != ORIGIN && inner.ranIn != 0, inner.ranIn);
        Check.that("inner-class-wrote-through-enclosing-instance", app.innerResult == 42, app.innerResult);

        final int seed = 5;
        final long[] anonymousRanIn = new long[2];
        final Thread anonymous = new Thread("anonymous")
        {
            @Override
            public void run()
            {
                anonymousRanIn[0] = Check.pid();
                anonymousRanIn[1] = seed * app.factor;
            }
        };
        anonymous.start();
        anonymous.join();
        Check.that("anonymous-subclass-moved", anonymousRanIn[0] != ORIGIN && anonymousRanIn[0] != 0,
            anonymousRanIn[0]);
        Check.that("anonymous-subclass-read-captured-values", anonymousRanIn[1] == 35, anonymousRanIn[1]);

        final long[] anonymousRunnableRanIn = new long[2];
        final Thread anonymousRunnable = new Thread(new Runnable()
        {
            @Override
            public void run()
            {
                anonymousRunnableRanIn[0] = Check.pid();
                anonymousRunnableRanIn[1] = seed * app.factor;
            }
        });
        anonymousRunnable.start();
        anonymousRunnable.join();
        Check.that("anonymous-runnable-moved", anonymousRunnableRanIn[0] != ORIGIN && anonymousRunnableRanIn[0] != 0,
            anonymousRunnableRanIn[0]);
        Check.that("anonymous-runnable-read-captured-values", anonymousRunnableRanIn[1] == 35,
            anonymousRunnableRanIn[1]);

        final long[] lambdaRanIn = new long[1];
        final Thread lambda = new Thread(() -> lambdaRanIn[0] = Check.pid(), "lambda");
        lambda.start();
        lambda.join();
        Check.that("lambda-moved", lambdaRanIn[0] != ORIGIN && lambdaRanIn[0] != 0, lambdaRanIn[0]);

        final Thread methodRef = new Thread(app::methodRefTarget, "method-ref");
        methodRef.start();
        methodRef.join();
        Check.that("method-reference-moved", app.methodRefRanIn != ORIGIN && app.methodRefRanIn != 0,
            app.methodRefRanIn);

        final SelfStarting selfStarting = new SelfStarting();
        selfStarting.join();
        Check.that("start-in-constructor-moved", selfStarting.ranIn != ORIGIN && selfStarting.ranIn != 0,
            selfStarting.ranIn);

        final Annotated annotated = new Annotated();
        final Thread annotatedThread = new Thread(annotated);
        annotatedThread.start();
        annotatedThread.join();
        Check.that("offload-annotation-moved", annotated.ranIn != ORIGIN && annotated.ranIn != 0, annotated.ranIn);

        final ExecutorService pool = Executors.newFixedThreadPool(2);
        final Plain pooled = new Plain(9);
        final Future<?> done = pool.submit(pooled);
        done.get();
        pool.shutdown();
        Check.that("pool-thread-stays", pooled.ranIn == ORIGIN, pooled.ranIn);
        System.out.println("DONE");
    }
}

@Offload
final class Annotated implements Runnable
{
    long ranIn;

    @Override
    public void run()
    {
        ranIn = Check.pid();
    }
}
