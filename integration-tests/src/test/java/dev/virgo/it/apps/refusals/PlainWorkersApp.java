package dev.virgo.it.apps.refusals;

import dev.virgo.it.apps.Check;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * What must keep moving: fork/join workers that share nothing while they run. One sums a slice of an array into its
 * own field and builds a label in a private {@code StringBuffer} (the JDK's synchronized code is not the program's
 * synchronization); the other's class holds nothing in statics but its logger, which the node re-creates. The
 * program's own class, which the workers' classes name, keeps a counter in a static {@code AtomicInteger} that only
 * {@code main} uses: it cannot travel, and need not, since the workers' code never reads it.
 */
public final class PlainWorkersApp
{
    static final AtomicInteger threadsStarted = new AtomicInteger();

    static final class Summer implements Runnable
    {
        private final long[] data;
        private final int from;
        private final int to;
        long sum;
        String label;
        long ranIn;

        Summer(final long[] data, final int from, final int to)
        {
            this.data = data;
            this.from = from;
            this.to = to;
        }

        @Override
        public void run()
        {
            long total = 0;
            for (int i = from; i < to; i++)
            {
                total += data[i];
            }
            sum = total;
            label = new StringBuffer().append(from).append("..").append(to - 1).toString();
            ranIn = Check.pid();
        }
    }

    static final class Greeter implements Runnable
    {
        private static final Logger LOG = Logger.getLogger(Greeter.class.getName());
        private final String name;
        String greeting;
        long ranIn;

        Greeter(final String name)
        {
            this.name = name;
        }

        @Override
        public void run()
        {
            greeting = "hello, " + name;
            LOG.fine(greeting);
            ranIn = Check.pid();
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final long[] data = new long[10_000];
        for (int i = 0; i < data.length; i++)
        {
            data[i] = i;
        }
        final Summer[] summers = {new Summer(data, 0, 5_000), new Summer(data, 5_000, 10_000)};
        final Greeter greeter = new Greeter("node");
        final Thread[] threads = {new Thread(summers[0]), new Thread(summers[1]), new Thread(greeter)};
        for (final Thread thread : threads)
        {
            thread.start();
            threadsStarted.incrementAndGet();
        }
        for (final Thread thread : threads)
        {
            thread.join(30_000);
        }
        Check.that("sums", summers[0].sum + summers[1].sum == 49_995_000L && "0..4999".equals(summers[0].label),
            summers[0].sum + " + " + summers[1].sum + ", label " + summers[0].label);
        Check.that("summers-moved", summers[0].ranIn != Check.pid() && summers[0].ranIn != 0 &&
            summers[1].ranIn != Check.pid() && summers[1].ranIn != 0, summers[0].ranIn + ", " + summers[1].ranIn);
        Check.that("greeting", "hello, node".equals(greeter.greeting), greeter.greeting);
        Check.that("greeter-moved", greeter.ranIn != Check.pid() && greeter.ranIn != 0, greeter.ranIn);
        Check.that("counter-kept", threadsStarted.get() == threads.length, threadsStarted.get());
        System.out.println("DONE");
    }
}
