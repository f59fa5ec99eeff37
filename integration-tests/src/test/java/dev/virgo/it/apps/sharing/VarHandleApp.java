package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * A tally kept through {@code VarHandle}s, the way modern concurrent code writes its atomics: a count in a
 * {@code volatile} field ({@code getAndAdd}), a histogram in an {@code int[]} ({@code arrayElementVarHandle}), and a
 * generation in a static field advanced by a {@code getVolatile}/{@code compareAndSet} loop. Four workers meet at a
 * barrier, then each adds 100 samples.
 */
public final class VarHandleApp
{
    static final int WORKERS = 4;
    static final int SAMPLES = 100;
    static final int BINS = 8;

    static final class Tally
    {
        static final VarHandle COUNT;
        static final VarHandle BIN = MethodHandles.arrayElementVarHandle(int[].class);
        static final VarHandle GENERATION;

        static volatile long generation;

        private volatile int count;
        final int[] bins = new int[BINS];

        static
        {
            try
            {
                final MethodHandles.Lookup lookup = MethodHandles.lookup();
                COUNT = lookup.findVarHandle(Tally.class, "count", int.class);
                GENERATION = lookup.findStaticVarHandle(Tally.class, "generation", long.class);
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new ExceptionInInitializerError(ex);
            }
        }

        void add(final int sample)
        {
            COUNT.getAndAdd(this, 1);
            BIN.getAndAdd(bins, sample % BINS, 1);
            long seen;
            do
            {
                seen = (long)GENERATION.getVolatile();
            }
            while (!GENERATION.compareAndSet(seen, seen + 1));
        }
    }

    static final class Worker implements Runnable
    {
        private final Tally tally;
        private final CyclicBarrier start;
        private final int id;
        long ranIn;

        Worker(final Tally tally, final CyclicBarrier start, final int id)
        {
            this.tally = tally;
            this.start = start;
            this.id = id;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                start.await();
            }
            catch (final InterruptedException | BrokenBarrierException ex)
            {
                throw new IllegalStateException(ex);
            }
            for (int i = 0; i < SAMPLES; i++)
            {
                tally.add(id * 37 + i * i);
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Tally tally = new Tally();
        final CyclicBarrier start = new CyclicBarrier(WORKERS);
        final Worker[] workers = new Worker[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int w = 0; w < WORKERS; w++)
        {
            workers[w] = new Worker(tally, start, w);
            threads[w] = new Thread(workers[w], "worker-" + w);
            threads[w].start();
        }
        Report.joinAll(threads);

        for (int w = 0; w < WORKERS; w++)
        {
            Report.ran("worker-" + w, workers[w].ranIn);
        }
        Report.result("count=" + tally.count + " bins=" + Arrays.toString(tally.bins) +
            " generation=" + Tally.generation);
    }
}
