package dev.virgo.examples;

/**
 * Workers made from lambdas fill slices of static arrays that {@code main} reads after {@code join()}: squares and
 * primes up to a limit. An ordinary program: it knows nothing of Virgo.
 */
public final class StaticTables
{
    static long[] squares;
    static boolean[] prime;
    static int limit = 10;

    public static void main(final String[] args) throws InterruptedException
    {
        limit = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        final int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        squares = new long[limit];
        prime = new boolean[limit];

        final Thread[] threads = new Thread[workers];
        for (int w = 0; w < workers; w++)
        {
            final int from = w * limit / workers;
            final int to = (w + 1) * limit / workers;
            threads[w] = new Thread(() -> fill(from, to), "tables-" + w);
            threads[w].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }

        int primes = 0;
        for (int i = 0; i < limit; i++)
        {
            if (squares[i] != (long)i * i)
            {
                System.out.println("FAILED: squares[" + i + "] = " + squares[i]);
                System.exit(1);
            }
            if (prime[i] != isPrime(i))
            {
                System.out.println("FAILED: prime[" + i + "] = " + prime[i]);
                System.exit(1);
            }
            primes += prime[i] ? 1 : 0;
        }
        System.out.println("OK: " + primes + " primes below " + limit + ", all squares right");
    }

    private static void fill(final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            squares[i] = (long)i * i;
            prime[i] = isPrime(i);
        }
        System.out.println("filled " + from + ".." + (to - 1) + " in " + WhereAmI.describe());
    }

    static boolean isPrime(final int n)
    {
        if (n < 2)
        {
            return false;
        }
        for (int d = 2; (long)d * d <= n; d++)
        {
            if (n % d == 0)
            {
                return false;
            }
        }
        return true;
    }
}
