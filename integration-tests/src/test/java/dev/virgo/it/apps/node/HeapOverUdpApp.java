package dev.virgo.it.apps.node;

import dev.virgo.api.heap.SharedHeap;
import dev.virgo.api.heap.SharedLongArray;
import dev.virgo.api.heap.sync.SharedLock;
import dev.virgo.it.apps.Check;

/**
 * The shared heap between an origin and a standalone node over UDP: moved threads add to memory homed at the origin
 * under a shared lock and with get-and-add, one of them allocates memory homed at the node, and the origin reads it.
 */
public final class HeapOverUdpApp
{
    static final int ADDS = 500;

    static final class Adder implements Runnable
    {
        private final SharedLongArray counts;
        private final SharedLock lock;
        private final boolean allocate;

        Adder(final SharedLongArray counts, final SharedLock lock, final boolean allocate)
        {
            this.counts = counts;
            this.lock = lock;
            this.allocate = allocate;
        }

        @Override
        public void run()
        {
            try
            {
                for (int i = 0; i < ADDS; i++)
                {
                    counts.getAndAdd(0, 1);
                    lock.lock();
                    try
                    {
                        counts.set(1, counts.get(1) + 1);
                    }
                    finally
                    {
                        lock.unlock();
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
            if (allocate)
            {
                final SharedLongArray mine = SharedLongArray.allocate(SharedHeap.memory(), 8);
                mine.set(7, 77);
                counts.set(3, Check.pid());
                counts.set(2, mine.address());
            }
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final SharedLongArray counts = SharedLongArray.allocate(SharedHeap.memory(), 4);
        final SharedLock lock = SharedLock.create(SharedHeap.memory());
        final Thread[] threads = {
            new Thread(new Adder(counts, lock, true), "adder-0"), new Thread(new Adder(counts, lock, false), "adder-1")};
        for (final Thread thread : threads)
        {
            thread.start();
        }
        for (int i = 0; i < ADDS; i++)
        {
            counts.getAndAdd(0, 1);
            lock.lock();
            try
            {
                counts.set(1, counts.get(1) + 1);
            }
            finally
            {
                lock.unlock();
            }
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        Check.that("udp-getandadd-exact", counts.get(0) == 3 * ADDS, counts.get(0));
        Check.that("udp-lock-exact", counts.get(1) == 3 * ADDS, counts.get(1));
        final SharedLongArray remote = SharedLongArray.at(SharedHeap.memory(), counts.get(2), 8);
        Check.that("udp-node-memory-read", remote.get(7) == 77 && counts.get(3) != Check.pid(),
            remote.get(7) + " allocated in pid " + counts.get(3));
        System.out.println("allocated in pid " + counts.get(3));
        System.out.println("DONE");
    }
}
