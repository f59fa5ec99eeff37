package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.Locale;

/**
 * Red-black Gauss-Seidel relaxation of a 32x32 grid, a shared {@code double[][]} whose rows are split among four
 * workers: each colour's update reads the neighbours (also in other workers' rows) written in the other colour's
 * phase, with a {@code synchronized}/{@code wait}/{@code notifyAll} barrier after each phase. Ten sweeps; the
 * checksum is the same on every run only if every barrier hands every row over.
 */
public final class RedBlackStencilApp
{
    static final int SIZE = 32;
    static final int WORKERS = 4;
    static final int SWEEPS = 10;

    static final class Barrier
    {
        private final int parties;
        private int waiting;
        private int generation;

        Barrier(final int parties)
        {
            this.parties = parties;
        }

        synchronized void await() throws InterruptedException
        {
            final int arrivedIn = generation;
            if (++waiting == parties)
            {
                waiting = 0;
                generation++;
                notifyAll();
                return;
            }
            while (generation == arrivedIn)
            {
                wait();
            }
        }
    }

    static final class Relaxer implements Runnable
    {
        private final double[][] grid;
        private final Barrier barrier;
        private final int firstRow;
        private final int endRow;
        long ranIn;

        Relaxer(final double[][] grid, final Barrier barrier, final int firstRow, final int endRow)
        {
            this.grid = grid;
            this.barrier = barrier;
            this.firstRow = firstRow;
            this.endRow = endRow;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                for (int sweep = 0; sweep < SWEEPS; sweep++)
                {
                    for (int colour = 0; colour < 2; colour++)
                    {
                        for (int i = firstRow; i < endRow; i++)
                        {
                            for (int j = 1 + (i + colour) % 2; j < SIZE - 1; j += 2)
                            {
                                grid[i][j] = 0.25 * (grid[i - 1][j] + grid[i + 1][j] + grid[i][j - 1] + grid[i][j + 1]);
                            }
                        }
                        barrier.await();
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final double[][] grid = new double[SIZE][SIZE];
        for (int j = 0; j < SIZE; j++)
        {
            grid[0][j] = 100.0;
            grid[SIZE - 1][j] = -50.0;
        }
        for (int i = 0; i < SIZE; i++)
        {
            grid[i][0] = i;
        }
        final Barrier barrier = new Barrier(WORKERS);
        final int interior = SIZE - 2;
        final Relaxer[] relaxers = new Relaxer[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int w = 0; w < WORKERS; w++)
        {
            relaxers[w] = new Relaxer(grid, barrier, 1 + w * interior / WORKERS, 1 + (w + 1) * interior / WORKERS);
            threads[w] = new Thread(relaxers[w], "relaxer-" + w);
            threads[w].start();
        }
        Report.joinAll(threads);

        double checksum = 0;
        double weighted = 0;
        for (int i = 0; i < SIZE; i++)
        {
            for (int j = 0; j < SIZE; j++)
            {
                checksum += grid[i][j];
                weighted += grid[i][j] * (i * SIZE + j);
            }
        }
        for (int w = 0; w < WORKERS; w++)
        {
            Report.ran(threads[w].getName(), relaxers[w].ranIn);
        }
        Report.result(String.format(Locale.ROOT, "checksum=%.9f weighted=%.6f centre=%.12f",
            checksum, weighted, grid[SIZE / 2][SIZE / 2]));
    }
}
