package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

/**
 * A reader spins on a {@code volatile boolean} until another worker sets it. The setter first waits (on a second
 * volatile) until the reader is spinning, so the flag really changes under the reader's eyes.
 */
public final class VolatileFlagApp
{
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Signal
    {
        volatile boolean readerSpinning;
        volatile boolean ready;
    }

    static final class Reader implements Runnable
    {
        private final Signal signal;
        long ranIn;
        boolean sawReady;

        Reader(final Signal signal)
        {
            this.signal = signal;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            signal.readerSpinning = true;
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (!signal.ready && System.nanoTime() - giveUpAt < 0)
            {
                Thread.yield();
            }
            sawReady = signal.ready;
        }
    }

    static final class Setter implements Runnable
    {
        private final Signal signal;
        long ranIn;
        boolean sawReaderSpinning;

        Setter(final Signal signal)
        {
            this.signal = signal;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (!signal.readerSpinning && System.nanoTime() - giveUpAt < 0)
            {
                Thread.yield();
            }
            sawReaderSpinning = signal.readerSpinning;
            signal.ready = true;
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Signal signal = new Signal();
        final Reader reader = new Reader(signal);
        final Setter setter = new Setter(signal);
        final Thread[] threads = {new Thread(reader, "reader"), new Thread(setter, "setter")};
        for (final Thread thread : threads)
        {
            thread.start();
        }
        Report.joinAll(threads);

        Report.ran("reader", reader.ranIn);
        Report.ran("setter", setter.ranIn);
        Report.result("readerSawReady=" + reader.sawReady + " setterSawReaderSpinning=" + setter.sawReaderSpinning);
    }
}
