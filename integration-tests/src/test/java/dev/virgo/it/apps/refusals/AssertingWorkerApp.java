package dev.virgo.it.apps.refusals;

import dev.virgo.it.apps.Check;

/**
 * A worker whose class keeps a static (so its statics travel, and the node replaces its static initializer) and
 * states an invariant with {@code assert}. Run without {@code -ea}, as programs are: the assertion must stay off in
 * the moved thread too, as it is in the origin, not be switched on because the class's hidden
 * {@code $assertionsDisabled} flag was left at its default on the node.
 */
public final class AssertingWorkerApp
{
    static final class Scaler implements Runnable
    {
        static int factor = 3;
        private final int[] values;
        long sum;
        long ranIn;

        Scaler(final int[] values)
        {
            this.values = values;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            for (final int value : values)
            {
                assert value > 100 : "an assertion the program runs with disabled";
                sum += (long)value * factor;
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        boolean enabledHere = false;
        assert enabledHere = true; // the idiom that reads the JVM's assertion status
        final Scaler scaler = new Scaler(new int[] {1, 2, 3});
        final Thread thread = new Thread(scaler, "scaler");
        thread.start();
        thread.join(30_000);
        Check.that("assertions-off-here", !enabledHere, "run this app without -ea");
        Check.that("answer", scaler.sum == 18, scaler.sum + ", expected 18");
        Check.that("moved", scaler.ranIn != Check.pid() && scaler.ranIn != 0, scaler.ranIn);
        System.out.println("DONE");
    }
}
