package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Four workers scan their quarter of the readings into a shared {@code LongAccumulator} of the maximum and a shared
 * {@code DoubleAccumulator} of the sum, one {@code accumulate} per reading, after meeting at a barrier so that they
 * accumulate at the same time; each also keeps the minimum of its quarter in an accumulator of its own, made in
 * {@code run()}. {@code main} reads all of them, then accumulates into each worker's own one (its function must work
 * where it ended up).
 */
public final class AccumulatorApp
{
    static final int WORKERS = 4;
    static final int READINGS = 200;

    static final class Worker implements Runnable
    {
        private final long[] readings;
        private final int from;
        private final int to;
        private final LongAccumulator max;
        private final DoubleAccumulator sum;
        private final CyclicBarrier start;
        LongAccumulator min;
        long ranIn;

        Worker(final long[] readings, final int from, final int to, final LongAccumulator max,
            final DoubleAccumulator sum, final CyclicBarrier start)
        {
            this.readings = readings;
            this.from = from;
            this.to = to;
            this.max = max;
            this.sum = sum;
            this.start = start;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            min = new LongAccumulator(Math::min, Long.MAX_VALUE);
            try
            {
                start.await();
            }
            catch (final InterruptedException | BrokenBarrierException ex)
            {
                throw new IllegalStateException(ex);
            }
            for (int i = from; i < to; i++)
            {
                max.accumulate(readings[i]);
                sum.accumulate(readings[i]);
                min.accumulate(readings[i]);
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final long[] readings = new long[READINGS];
        for (int i = 0; i < READINGS; i++)
        {
            readings[i] = (i * 7919L) % 1009 + 10;
        }
        final LongAccumulator max = new LongAccumulator(Long::max, Long.MIN_VALUE);
        final DoubleAccumulator sum = new DoubleAccumulator(Double::sum, 0);
        final CyclicBarrier start = new CyclicBarrier(WORKERS);
        final Worker[] workers = new Worker[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int w = 0; w < WORKERS; w++)
        {
            workers[w] = new Worker(readings, w * READINGS / WORKERS, (w + 1) * READINGS / WORKERS, max, sum, start);
            threads[w] = new Thread(workers[w], "worker-" + w);
            threads[w].start();
        }
        Report.joinAll(threads);

        final StringBuilder mins = new StringBuilder();
        for (int w = 0; w < WORKERS; w++)
        {
            Report.ran("worker-" + w, workers[w].ranIn);
            mins.append(workers[w].min.get()).append(',');
            workers[w].min.accumulate(w); // main's call on the worker's own accumulator, with the function it was made with
            mins.append(workers[w].min.get()).append(' ');
        }
        Report.result("max=" + max.get() + " sum=" + (long)sum.get() + " mins=" + mins.toString().trim());
    }
}
