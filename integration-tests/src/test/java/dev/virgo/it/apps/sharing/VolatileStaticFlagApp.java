package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

/**
 * Two workers spin on a {@code static volatile boolean} that main sets once both have said, each through a static
 * volatile of its own, that they are spinning.
 */
public final class VolatileStaticFlagApp
{
    static final long GIVE_UP_NS = 10_000_000_000L;

    static volatile boolean go;
    static volatile boolean leftSpinning;
    static volatile boolean rightSpinning;

    static final class Spinner implements Runnable
    {
        private final boolean left;
        long ranIn;
        boolean sawGo;

        Spinner(final boolean left)
        {
            this.left = left;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            if (left)
            {
                leftSpinning = true;
            }
            else
            {
                rightSpinning = true;
            }
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (!go && System.nanoTime() - giveUpAt < 0)
            {
                Thread.yield();
            }
            sawGo = go;
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Spinner left = new Spinner(true);
        final Spinner right = new Spinner(false);
        final Thread[] threads = {new Thread(left, "left"), new Thread(right, "right")};
        for (final Thread thread : threads)
        {
            thread.start();
        }
        final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
        while (!(leftSpinning && rightSpinning) && System.nanoTime() - giveUpAt < 0)
        {
            Thread.yield();
        }
        final boolean sawBothSpinning = leftSpinning && rightSpinning;
        go = true;
        Report.joinAll(threads);

        Report.ran("left", left.ranIn);
        Report.ran("right", right.ranIn);
        Report.result("mainSawBothSpinning=" + sawBothSpinning + " leftSawGo=" + left.sawGo +
            " rightSawGo=" + right.sawGo);
    }
}
