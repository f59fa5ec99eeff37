package dev.virgo.examples;

/**
 * Multiplies two matrices with one {@code Runnable} per band of rows, all writing disjoint rows of one shared
 * result array. An ordinary program: it knows nothing of Virgo.
 */
public final class MatrixMultiply
{
    static final class RowBand implements Runnable
    {
        private final double[][] a;
        private final double[][] b;
        private final double[][] c;
        private final int fromRow;
        private final int toRow;

        RowBand(final double[][] a, final double[][] b, final double[][] c, final int fromRow, final int toRow)
        {
            this.a = a;
            this.b = b;
            this.c = c;
            this.fromRow = fromRow;
            this.toRow = toRow;
        }

        @Override
        public void run()
        {
            final int n = b.length;
            final int m = b[0].length;
            for (int i = fromRow; i < toRow; i++)
            {
                for (int j = 0; j < m; j++)
                {
                    double sum = 0;
                    for (int k = 0; k < n; k++)
                    {
                        sum += a[i][k] * b[k][j];
                    }
                    c[i][j] = sum;
                }
            }
            System.out.println("rows " + fromRow + ".." + (toRow - 1) + " computed in " + WhereAmI.describe());
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int size = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        final int bands = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        final double[][] a = new double[size][size];
        final double[][] b = new double[size][size];
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                a[i][j] = (i * 31 + j * 17) % 10;
                b[i][j] = (i * 7 + j * 13) % 10;
            }
        }
        final double[][] c = new double[size][size];
        final Thread[] threads = new Thread[bands];
        for (int t = 0; t < bands; t++)
        {
            threads[t] = new Thread(new RowBand(a, b, c, t * size / bands, (t + 1) * size / bands), "band-" + t);
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }

        final double[][] expected = new double[size][size];
        new RowBand(a, b, expected, 0, size).run();
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                if (c[i][j] != expected[i][j])
                {
                    System.out.println("FAILED: c[" + i + "][" + j + "] = " + c[i][j] + ", expected " + expected[i][j]);
                    System.exit(1);
                }
            }
        }
        System.out.println("OK: " + size + "x" + size + " product validated, " + bands + " bands");
    }
}
