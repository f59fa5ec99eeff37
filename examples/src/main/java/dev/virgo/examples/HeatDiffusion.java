package dev.virgo.examples;

/**
 * Heat spreading over a plate: a 2-D grid of temperatures, shared by worker threads that each own a band of rows and
 * meet at a barrier after every step, because the next step of a band reads its neighbours' edge rows. The barrier is
 * written the way plenty of code writes one, with {@code synchronized}, {@code wait} and {@code notifyAll}; a worker
 * that notices the plate has settled says so through a {@code volatile} flag the others read. At the end, {@code main}
 * runs the same steps on one thread and compares every cell. An ordinary program: it knows nothing of Virgo.
 *
 * <p>Arguments: grid size (default 64), workers (default 4), steps (default 40).
 */
public final class HeatDiffusion
{
    /** Meets {@code parties} threads once per step; reusable, as a barrier per step must be. */
    static final class StepBarrier
    {
        private final int parties;
        private int arrived;
        private long step;

        StepBarrier(final int parties)
        {
            this.parties = parties;
        }

        synchronized void await() throws InterruptedException
        {
            final long arrivedAt = step;
            if (++arrived == parties)
            {
                arrived = 0;
                step++;
                notifyAll();
                return;
            }
            while (step == arrivedAt)
            {
                wait();
            }
        }
    }

    /** The plate: two grids, read from one and written to the other, swapped every step. */
    static final class Plate
    {
        final double[][][] grids;
        volatile boolean settled;
        double largestChange;

        Plate(final int size)
        {
            grids = new double[2][size][size];
            for (int j = 0; j < size; j++)
            {
                grids[0][0][j] = 100.0; // the top edge is held hot
                grids[1][0][j] = 100.0;
            }
        }

        synchronized void noteChange(final double change)
        {
            largestChange = Math.max(largestChange, change);
        }
    }

    static final class Band implements Runnable
    {
        private final Plate plate;
        private final StepBarrier barrier;
        private final int fromRow;
        private final int toRow;
        private final int steps;

        Band(final Plate plate, final StepBarrier barrier, final int fromRow, final int toRow, final int steps)
        {
            this.plate = plate;
            this.barrier = barrier;
            this.fromRow = fromRow;
            this.toRow = toRow;
            this.steps = steps;
        }

        @Override
        public void run()
        {
            try
            {
                for (int s = 0; s < steps; s++)
                {
                    final double change = step(plate.grids[s & 1], plate.grids[1 - (s & 1)], fromRow, toRow);
                    plate.noteChange(change);
                    barrier.await();
                }
                if (plate.largestChange < 1e-3)
                {
                    plate.settled = true;
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            System.out.println("rows " + fromRow + ".." + (toRow - 1) + " stepped in " + WhereAmI.describe());
        }
    }

    /** One step of rows {@code [from, to)}: each inner cell becomes the mean of its four neighbours. */
    static double step(final double[][] in, final double[][] out, final int from, final int to)
    {
        final int size = in.length;
        double largest = 0;
        for (int i = Math.max(1, from); i < Math.min(to, size - 1); i++)
        {
            for (int j = 1; j < size - 1; j++)
            {
                out[i][j] = (in[i - 1][j] + in[i + 1][j] + in[i][j - 1] + in[i][j + 1]) / 4.0;
                largest = Math.max(largest, Math.abs(out[i][j] - in[i][j]));
            }
        }
        return largest;
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int size = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        final int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        final int steps = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        final Plate plate = new Plate(size);
        final StepBarrier barrier = new StepBarrier(workers);
        final Thread[] threads = new Thread[workers];
        for (int w = 0; w < workers; w++)
        {
            threads[w] = new Thread(new Band(plate, barrier, w * size / workers, (w + 1) * size / workers, steps),
                "band-" + w);
            threads[w].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }

        final Plate expected = new Plate(size);
        for (int s = 0; s < steps; s++)
        {
            step(expected.grids[s & 1], expected.grids[1 - (s & 1)], 0, size);
        }
        final double[][] result = plate.grids[steps & 1];
        final double[][] wanted = expected.grids[steps & 1];
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                if (result[i][j] != wanted[i][j])
                {
                    System.out.println("FAILED: cell [" + i + "][" + j + "] = " + result[i][j] + ", expected " +
                        wanted[i][j] + " after " + steps + " steps");
                    System.exit(1);
                }
            }
        }
        System.out.println("OK: " + size + "x" + size + " plate validated after " + steps + " steps, " + workers +
            " bands" + (plate.settled ? ", settled" : ""));
    }
}
