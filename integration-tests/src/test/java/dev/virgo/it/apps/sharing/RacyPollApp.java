package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

/**
 * A data race real programs rely on: two workers each spin on a plain (non-volatile) element of a shared {@code int[]}
 * that main changes after {@code start()}, with no lock and no volatile on either side. Each first marks, in another
 * plain element, that it is spinning; main waits for both marks before it writes. On real hardware the writes are seen
 * promptly; each side gives up after ten seconds so a run that never sees them ends.
 */
public final class RacyPollApp
{
    static final int WORKERS = 2;
    static final int GO = 42;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Poller implements Runnable
    {
        private final int[] go;
        private final int[] spinning;
        private final int index;
        long ranIn;
        int seen;

        Poller(final int[] go, final int[] spinning, final int index)
        {
            this.go = go;
            this.spinning = spinning;
            this.index = index;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            spinning[index] = 1;
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            // The call in the loop keeps the JIT from hoisting the plain read, as most real polling loops have one.
            while (go[index] == 0 && System.nanoTime() - giveUpAt < 0)
            {
                Thread.yield();
            }
            seen = go[index];
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int[] go = new int[WORKERS];
        final int[] spinning = new int[WORKERS];
        final Poller[] pollers = new Poller[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            pollers[i] = new Poller(go, spinning, i);
            threads[i] = new Thread(pollers[i], "poller-" + i);
            threads[i].start();
        }
        boolean sawAllSpinning = true;
        for (int i = 0; i < WORKERS; i++)
        {
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (spinning[i] == 0 && System.nanoTime() - giveUpAt < 0)
            {
                Thread.yield();
            }
            sawAllSpinning &= spinning[i] == 1;
            go[i] = GO + i;
        }
        Report.joinAll(threads);

        for (int i = 0; i < WORKERS; i++)
        {
            Report.ran(threads[i].getName(), pollers[i].ranIn);
        }
        Report.result("mainSawAllSpinning=" + sawAllSpinning + " seen=" + pollers[0].seen + "," + pollers[1].seen);
    }
}
