package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Exchanger;

/**
 * {@code Exchanger}'s javadoc example: a filler fills a buffer with the next 20 numbers and exchanges it for the
 * emptier's, which the emptier drained; 50 rounds, two buffers that change hands at every exchange. The emptier sums
 * what it drains and counts every buffer it got that was not full; the filler counts every buffer it got back that was
 * not empty. An exchange waits for both threads, so they meet 50 times while they run.
 */
public final class ExchangerApp
{
    static final int ROUNDS = 50;
    static final int CHUNK = 20;

    static final class Filler implements Runnable
    {
        private final Exchanger<List<Integer>> exchanger;
        private List<Integer> buffer;
        long ranIn;
        int notEmpty;

        Filler(final Exchanger<List<Integer>> exchanger, final List<Integer> buffer)
        {
            this.exchanger = exchanger;
            this.buffer = buffer;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                for (int round = 0; round < ROUNDS; round++)
                {
                    for (int i = 0; i < CHUNK; i++)
                    {
                        buffer.add(round * CHUNK + i);
                    }
                    buffer = exchanger.exchange(buffer);
                    notEmpty += buffer.isEmpty() ? 0 : 1;
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    static final class Emptier implements Runnable
    {
        private final Exchanger<List<Integer>> exchanger;
        private List<Integer> buffer;
        long ranIn;
        long sum;
        int drained;
        int notFull;

        Emptier(final Exchanger<List<Integer>> exchanger, final List<Integer> buffer)
        {
            this.exchanger = exchanger;
            this.buffer = buffer;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                for (int round = 0; round < ROUNDS; round++)
                {
                    buffer = exchanger.exchange(buffer);
                    notFull += buffer.size() == CHUNK ? 0 : 1;
                    for (final int value : buffer)
                    {
                        sum += value;
                        drained++;
                    }
                    buffer.clear();
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
        final Exchanger<List<Integer>> exchanger = new Exchanger<>();
        final Filler filler = new Filler(exchanger, new ArrayList<>());
        final Emptier emptier = new Emptier(exchanger, new ArrayList<>());
        final Thread[] threads = {new Thread(filler, "filler"), new Thread(emptier, "emptier")};
        for (final Thread thread : threads)
        {
            thread.start();
        }
        Report.joinAll(threads);

        Report.ran("filler", filler.ranIn);
        Report.ran("emptier", emptier.ranIn);
        Report.result("drained=" + emptier.drained + " sum=" + emptier.sum + " notFull=" + emptier.notFull +
            " notEmpty=" + filler.notEmpty);
    }
}
