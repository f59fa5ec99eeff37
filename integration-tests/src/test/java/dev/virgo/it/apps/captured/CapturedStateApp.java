package dev.virgo.it.apps.captured;

import dev.virgo.it.apps.Check;

import java.net.Socket;

/**
 * Anonymous and inner classes as ordinary code writes them: what they capture (a local, the enclosing instance)
 * is read on the node, and what they write through a capture is seen by main after join(). Run with
 * {@code offload=dev.virgo.it.apps.captured.*}.
 */
public class CapturedStateApp
{
    static final long ORIGIN = Check.pid();

    private final int factor;
    long total;
    String label;

    CapturedStateApp(final int factor)
    {
        this.factor = factor;
    }

    /** An inner (non-static) Runnable that adds to a field of its enclosing instance. */
    final class Summer implements Runnable
    {
        private final int upTo;
        long ranIn;

        Summer(final int upTo)
        {
            this.upTo = upTo;
        }

        @Override
        public void run()
        {
            long sum = 0;
            for (int i = 1; i <= upTo; i++)
            {
                sum += (long)i * factor;
            }
            CapturedStateApp.this.total += sum;
            ranIn = Check.pid();
        }
    }

    /** The idiom of the issue: a captured local times a field of the enclosing instance, into a captured array. */
    void anonymousRunnable(final int k) throws InterruptedException
    {
        final long[] result = new long[2];
        final Thread thread = new Thread(new Runnable()
        {
            @Override
            public void run()
            {
                result[0] = k * factor;
                result[1] = Check.pid();
            }
        });
        thread.start();
        thread.join();
        Check.that("anonymous-runnable-moved", result[1] != ORIGIN && result[1] != 0,
            "ran in " + result[1] + ", origin is " + ORIGIN);
        Check.that("anonymous-runnable-read-captured-local-and-outer-field", result[0] == (long)k * factor,
            "result[0] = " + result[0] + ", expected " + (long)k * factor);
    }

    void innerRunnable() throws InterruptedException
    {
        total = 1000;
        final Summer summer = new Summer(100);
        final Thread thread = new Thread(summer, "summer");
        thread.start();
        thread.join();
        Check.that("inner-runnable-moved", summer.ranIn != ORIGIN && summer.ranIn != 0, summer.ranIn);
        Check.that("inner-runnable-wrote-outer-field", total == 1000 + 5050L * factor,
            "total = " + total + ", expected " + (1000 + 5050L * factor));
    }

    void anonymousThreadSubclass(final String prefix) throws InterruptedException
    {
        final int base = 12;
        final long[] ranIn = new long[1];
        final Thread thread = new Thread("labeller")
        {
            @Override
            public void run()
            {
                label = prefix + (base * factor);
                ranIn[0] = Check.pid();
            }
        };
        thread.start();
        thread.join();
        Check.that("anonymous-thread-subclass-moved", ranIn[0] != ORIGIN && ranIn[0] != 0, ranIn[0]);
        Check.that("anonymous-thread-subclass-read-captured-values", (prefix + (base * factor)).equals(label),
            "label = " + label);
    }

    /** An enclosing instance that cannot travel: the Runnable runs here, with a warning naming the path. */
    static final class Connection
    {
        final Socket socket = new Socket();

        Thread prober(final boolean[] closed, final long[] ranIn)
        {
            return new Thread(new Runnable()
            {
                @Override
                public void run()
                {
                    closed[0] = socket.isClosed();
                    ranIn[0] = Check.pid();
                }
            }, "prober");
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final CapturedStateApp app = new CapturedStateApp(3);
        app.anonymousRunnable(14);
        app.innerRunnable();
        app.anonymousThreadSubclass("twelve-times-three=");

        final boolean[] closed = {true};
        final long[] ranIn = new long[1];
        final Thread prober = new Connection().prober(closed, ranIn);
        prober.start();
        prober.join();
        Check.that("unshippable-outer-runs-locally", ranIn[0] == ORIGIN && !closed[0],
            "ran in " + ranIn[0] + ", closed " + closed[0]);
        System.out.println("DONE");
    }
}
