package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

/**
 * Message passing through a {@code volatile}: a writer fills plain fields and a plain array, then publishes the
 * round's number in a volatile; the reader spins on it, checks every plain value of that round, and acknowledges
 * through a second volatile before the writer overwrites the message. Twenty rounds.
 */
public final class MessagePassingApp
{
    static final int ROUNDS = 20;
    static final int VALUES = 64;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Mailbox
    {
        final int[] values = new int[VALUES];
        String text;
        long stamp;
        volatile int published;
        volatile int acknowledged;
    }

    static final class Writer implements Runnable
    {
        private final Mailbox mailbox;
        long ranIn;
        boolean gaveUp;

        Writer(final Mailbox mailbox)
        {
            this.mailbox = mailbox;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            for (int round = 1; round <= ROUNDS && !gaveUp; round++)
            {
                while (mailbox.acknowledged < round - 1 && !gaveUp)
                {
                    gaveUp = System.nanoTime() - giveUpAt > 0;
                    Thread.yield();
                }
                for (int i = 0; i < VALUES; i++)
                {
                    mailbox.values[i] = round * i;
                }
                mailbox.text = "round " + round;
                mailbox.stamp = round * 1_000_003L;
                mailbox.published = round;
            }
        }
    }

    static final class Reader implements Runnable
    {
        private final Mailbox mailbox;
        long ranIn;
        int roundsRead;
        int roundsComplete;
        long checksum;

        Reader(final Mailbox mailbox)
        {
            this.mailbox = mailbox;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            for (int round = 1; round <= ROUNDS; round++)
            {
                while (mailbox.published < round)
                {
                    if (System.nanoTime() - giveUpAt > 0)
                    {
                        return;
                    }
                    Thread.yield();
                }
                boolean complete = ("round " + round).equals(mailbox.text) && mailbox.stamp == round * 1_000_003L;
                for (int i = 0; i < VALUES; i++)
                {
                    complete &= mailbox.values[i] == round * i;
                    checksum += mailbox.values[i];
                }
                roundsRead++;
                roundsComplete += complete ? 1 : 0;
                mailbox.acknowledged = round;
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Mailbox mailbox = new Mailbox();
        final Reader reader = new Reader(mailbox);
        final Writer writer = new Writer(mailbox);
        final Thread[] threads = {new Thread(reader, "reader"), new Thread(writer, "writer")};
        for (final Thread thread : threads)
        {
            thread.start();
        }
        Report.joinAll(threads);

        Report.ran("reader", reader.ranIn);
        Report.ran("writer", writer.ranIn);
        Report.result("roundsRead=" + reader.roundsRead + " roundsComplete=" + reader.roundsComplete +
            " checksum=" + reader.checksum);
    }
}
