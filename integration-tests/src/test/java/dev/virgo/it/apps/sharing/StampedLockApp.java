package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.concurrent.locks.StampedLock;

/**
 * The point of {@code StampedLock}'s javadoc: two movers each move it 100 times along the diagonal under the write
 * stamp (x, then y, so the two differ inside a move), two readers read it the optimistic way, falling back to a read
 * stamp when a move got in between, and count every pair they accepted whose coordinates differ, until they see the
 * last move.
 */
public final class StampedLockApp
{
    static final int MOVES = 100;
    static final int MOVERS = 2;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Point
    {
        final StampedLock lock = new StampedLock();
        int x;
        int y;

        void move()
        {
            final long stamp = lock.writeLock();
            try
            {
                x++;
                Thread.yield(); // a reader's optimistic read may fall in the middle of the move
                y++;
            }
            finally
            {
                lock.unlockWrite(stamp);
            }
        }

        /** @return {x, y} as one consistent pair. */
        int[] read()
        {
            final long optimistic = lock.tryOptimisticRead();
            int readX = x;
            int readY = y;
            if (!lock.validate(optimistic))
            {
                final long stamp = lock.readLock();
                try
                {
                    readX = x;
                    readY = y;
                }
                finally
                {
                    lock.unlockRead(stamp);
                }
            }
            return new int[]{readX, readY};
        }
    }

    static final class Mover implements Runnable
    {
        private final Point point;
        long ranIn;

        Mover(final Point point)
        {
            this.point = point;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            for (int i = 0; i < MOVES; i++)
            {
                point.move();
            }
        }
    }

    static final class Reader implements Runnable
    {
        private final Point point;
        long ranIn;
        int violations;
        boolean sawLastMove;

        Reader(final Point point)
        {
            this.point = point;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (!sawLastMove && System.nanoTime() - giveUpAt < 0)
            {
                final int[] seen = point.read();
                violations += seen[0] == seen[1] ? 0 : 1;
                sawLastMove = seen[0] == MOVERS * MOVES;
                Thread.yield();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Point point = new Point();
        final Reader[] readers = {new Reader(point), new Reader(point)};
        final Mover[] movers = {new Mover(point), new Mover(point)};
        final Thread[] threads = {
            new Thread(readers[0], "reader-0"), new Thread(readers[1], "reader-1"),
            new Thread(movers[0], "mover-0"), new Thread(movers[1], "mover-1")};
        for (final Thread thread : threads)
        {
            thread.start();
        }
        Report.joinAll(threads);

        Report.ran("reader-0", readers[0].ranIn);
        Report.ran("reader-1", readers[1].ranIn);
        Report.ran("mover-0", movers[0].ranIn);
        Report.ran("mover-1", movers[1].ranIn);
        Report.result("x=" + point.x + " y=" + point.y + " violations=" + (readers[0].violations + readers[1].violations) +
            " readersSawLastMove=" + (readers[0].sawLastMove && readers[1].sawLastMove));
    }
}
