package dev.virgo.it.apps;

import dev.virgo.api.heap.SharedHeap;
import dev.virgo.api.heap.SharedLongArray;
import dev.virgo.api.heap.SharedMemoryException;

/**
 * A node that allocated shared memory dies: the origin's accesses to that memory fail at once with an error naming
 * the page and the node, while memory homed elsewhere, and the surviving node, keep working. The test kills the node
 * whose pid this prints after "allocated remotely".
 */
public final class HeapNodeLossApp
{
    static final int LENGTH = 1024;

    /** Allocates an array homed at its own node, publishes its address, and waits to be cut off. */
    static final class Allocator implements Runnable
    {
        private final SharedLongArray published;

        Allocator(final SharedLongArray published)
        {
            this.published = published;
        }

        @Override
        public void run()
        {
            final SharedLongArray mine = SharedLongArray.allocate(SharedHeap.memory(), LENGTH);
            for (int i = 0; i < LENGTH; i++)
            {
                mine.set(i, i);
            }
            published.set(1, ProcessHandle.current().pid());
            published.set(0, mine.address());
            try
            {
                Thread.sleep(600_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Adds to memory homed at the origin, from the node that survives. */
    static final class Adder implements Runnable
    {
        private final SharedLongArray published;

        Adder(final SharedLongArray published)
        {
            this.published = published;
        }

        @Override
        public void run()
        {
            published.getAndAdd(2, 1);
            published.set(3, ProcessHandle.current().pid());
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final SharedLongArray published = SharedLongArray.allocate(SharedHeap.memory(), 4);
        final Thread allocator = new Thread(new Allocator(published), "allocator");
        allocator.setUncaughtExceptionHandler((t, e) -> System.out.println("allocator ended: " + e));
        allocator.start();
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (published.get(0) == 0)
        {
            if (System.nanoTime() > deadline)
            {
                Check.that("allocated", false, "no address published in 60 s");
                return;
            }
            Thread.onSpinWait();
        }
        final long nodePid = published.get(1);
        final SharedLongArray remote = SharedLongArray.at(SharedHeap.memory(), published.get(0), LENGTH);
        Check.that("remote-readable", remote.get(LENGTH - 1) == LENGTH - 1, remote.get(LENGTH - 1));
        System.out.println("allocated remotely pid=" + nodePid);

        allocator.join(); // returns once the origin notices the node is gone
        String failure = null;
        try
        {
            remote.get(0);
        }
        catch (final SharedMemoryException ex)
        {
            failure = ex.getMessage();
        }
        System.out.println("after the loss: " + failure);
        Check.that("lost-home-named", null != failure && failure.contains("page 0x") && failure.contains("node-") &&
            failure.contains("left the shared heap"), failure);

        final Thread adder = new Thread(new Adder(published), "adder");
        adder.start();
        adder.join();
        Check.that("survivors-work", published.get(2) == 1 && published.get(3) != nodePid &&
            published.get(3) != ProcessHandle.current().pid(), published.get(2) + " from pid " + published.get(3));
        System.out.println("DONE");
    }
}
