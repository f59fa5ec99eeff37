package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A table guarded by a {@code ReentrantReadWriteLock}: two writers each make 100 updates under the write lock (a cell
 * and the version together), two readers check under the read lock that the cells always add up to the version, until
 * they see the last version.
 */
public final class ReadWriteLockApp
{
    static final int CELLS = 8;
    static final int UPDATES = 100;
    static final int WRITERS = 2;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Table
    {
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        final int[] cells = new int[CELLS];
        int version;
    }

    static final class Writer implements Runnable
    {
        private final Table table;
        private final int id;
        long ranIn;

        Writer(final Table table, final int id)
        {
            this.table = table;
            this.id = id;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            for (int i = 0; i < UPDATES; i++)
            {
                table.lock.writeLock().lock();
                try
                {
                    table.cells[(i + id) % CELLS]++;
                    table.version++;
                }
                finally
                {
                    table.lock.writeLock().unlock();
                }
            }
        }
    }

    static final class Reader implements Runnable
    {
        private final Table table;
        long ranIn;
        int violations;
        boolean sawLastVersion;

        Reader(final Table table)
        {
            this.table = table;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (!sawLastVersion && System.nanoTime() - giveUpAt < 0)
            {
                table.lock.readLock().lock();
                try
                {
                    int sum = 0;
                    for (final int cell : table.cells)
                    {
                        sum += cell;
                    }
                    violations += sum == table.version ? 0 : 1;
                    sawLastVersion = table.version == WRITERS * UPDATES;
                }
                finally
                {
                    table.lock.readLock().unlock();
                }
                Thread.yield();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Table table = new Table();
        final Reader[] readers = {new Reader(table), new Reader(table)};
        final Writer[] writers = {new Writer(table, 0), new Writer(table, 1)};
        final Thread[] threads = {
            new Thread(readers[0], "reader-0"), new Thread(readers[1], "reader-1"),
            new Thread(writers[0], "writer-0"), new Thread(writers[1], "writer-1")};
        for (final Thread thread : threads)
        {
            thread.start();
        }
        Report.joinAll(threads);

        Report.ran("reader-0", readers[0].ranIn);
        Report.ran("reader-1", readers[1].ranIn);
        Report.ran("writer-0", writers[0].ranIn);
        Report.ran("writer-1", writers[1].ranIn);
        int sum = 0;
        for (final int cell : table.cells)
        {
            sum += cell;
        }
        Report.result("version=" + table.version + " sum=" + sum +
            " violations=" + (readers[0].violations + readers[1].violations) +
            " readersSawLastVersion=" + (readers[0].sawLastVersion && readers[1].sawLastVersion));
    }
}
