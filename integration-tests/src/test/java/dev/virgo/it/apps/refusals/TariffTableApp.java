package dev.virgo.it.apps.refusals;

import dev.virgo.it.apps.Check;

import java.util.logging.Logger;

/**
 * A class keeps a table in a static field next to its logger, as most classes keep a logger: the logger cannot be
 * copied to another JVM, and the table must not be reset with it (a thread that read a fresh, null table on a node
 * would die of a {@code NullPointerException} or bill nothing).
 */
public final class TariffTableApp
{
    static final class Tariffs
    {
        private static final Logger LOG = Logger.getLogger(Tariffs.class.getName());
        static int[] centsPerUnit;

        static void load(final int[] table)
        {
            centsPerUnit = table;
            LOG.fine("loaded " + table.length + " tariffs");
        }
    }

    static final class Biller implements Runnable
    {
        private final int[] units;
        long totalCents;
        long ranIn;

        Biller(final int[] units)
        {
            this.units = units;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            long total = 0;
            for (int i = 0; i < units.length; i++)
            {
                total += (long)units[i] * Tariffs.centsPerUnit[i % Tariffs.centsPerUnit.length];
            }
            totalCents = total;
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        Tariffs.load(new int[] {12, 15, 9, 30});
        final int[][] usage = {{1, 2, 3, 4, 5, 6, 7, 8}, {10, 0, 10, 0, 10, 0}};
        final Biller[] billers = new Biller[usage.length];
        final Thread[] threads = new Thread[usage.length];
        for (int i = 0; i < usage.length; i++)
        {
            billers[i] = new Biller(usage[i]);
            threads[i] = new Thread(billers[i], "biller-" + i);
            threads[i].start();
        }
        for (final Thread thread : threads)
        {
            thread.join(30_000);
        }
        final long expected0 = 12 + 30 + 27 + 120 + 60 + 90 + 63 + 240;
        final long expected1 = 120 + 90 + 120;
        Check.that("answer", billers[0].totalCents == expected0 && billers[1].totalCents == expected1,
            billers[0].totalCents + " and " + billers[1].totalCents + ", expected " + expected0 + " and " + expected1);
        Check.that("ran-locally", billers[0].ranIn == Check.pid() && billers[1].ranIn == Check.pid(),
            "a biller ran in another JVM");
        System.out.println("DONE");
    }
}
