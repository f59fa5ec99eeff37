package dev.virgo.it.apps.lifecycle;

import dev.virgo.it.apps.Check;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A moved thread that was joined costs the origin no more than a local one: 40 threads that each held a 4 MiB array
 * (half in their Runnable, half in a Thread subclass), joined and dropped, leave the origin's heap near where it was
 * after {@code System.gc()}, and their Thread objects are collected. A finished thread the program still holds keeps
 * answering as a finished thread. Run with {@code offload=} naming this class.
 */
public final class FreedGraphsApp
{
    static final int THREADS = 40;
    static final int PAYLOAD_BYTES = 4 << 20;
    /** Far below the 160 MiB the payloads alone take, far above what the runtime itself may keep. */
    static final long HEAP_GROWTH_BOUND_BYTES = 60L << 20;
    static final long COLLECT_TIMEOUT_MS = 30_000;

    /** Holds its payload in the Runnable. */
    static final class PayloadTask implements Runnable
    {
        final byte[] payload = new byte[PAYLOAD_BYTES];
        long ranIn;

        @Override
        public void run()
        {
            ranIn = Check.pid();
            payload[payload.length - 1] = 1;
        }
    }

    /** Holds its payload in a Thread subclass. */
    static final class PayloadThread extends Thread
    {
        final byte[] payload = new byte[PAYLOAD_BYTES];
        long ranIn;

        PayloadThread(final String name)
        {
            super(name);
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            payload[payload.length - 1] = 1;
        }
    }

    /** The thread the program keeps after it finished. */
    static final class Kept implements Runnable
    {
        long ranIn;

        @Override
        public void run()
        {
            ranIn = Check.pid();
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        final Kept keptTask = new Kept();
        final Thread kept = new Thread(keptTask, "kept");
        kept.start();
        kept.join();
        System.gc();
        final long baselineBytes = memory.getHeapMemoryUsage().getUsed();

        final List<WeakReference<Thread>> finished = startJoinAndDrop();

        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COLLECT_TIMEOUT_MS);
        int reachable;
        long growthBytes;
        while (true)
        {
            System.gc();
            reachable = 0;
            for (final WeakReference<Thread> thread : finished)
            {
                reachable += null != thread.get() ? 1 : 0;
            }
            growthBytes = memory.getHeapMemoryUsage().getUsed() - baselineBytes;
            if ((reachable == 0 && growthBytes < HEAP_GROWTH_BOUND_BYTES) || System.nanoTime() > deadlineNs)
            {
                break;
            }
            Thread.sleep(100); // polling the collector, bounded by the deadline
        }
        System.out.println("heap " + (growthBytes >> 20) + " MiB above the baseline, " + reachable +
            " finished threads reachable");
        Check.that("finished-threads-collected", reachable == 0,
            reachable + " of " + THREADS + " joined and dropped Thread objects still reachable");
        Check.that("finished-graphs-freed", growthBytes < HEAP_GROWTH_BOUND_BYTES,
            "heap " + (growthBytes >> 20) + " MiB above the baseline after " + THREADS + " threads of " +
                (PAYLOAD_BYTES >> 20) + " MiB were joined and dropped (bound " + (HEAP_GROWTH_BOUND_BYTES >> 20) +
                " MiB)");

        Check.that("kept-thread-moved", keptTask.ranIn != 0 && keptTask.ranIn != Check.pid(), keptTask.ranIn);
        Check.that("kept-thread-terminated", kept.getState() == Thread.State.TERMINATED, kept.getState());
        Check.that("kept-thread-not-alive", !kept.isAlive(), "alive");
        Check.that("kept-thread-not-interrupted", !kept.isInterrupted(), "interrupted");
        final long joinStartNs = System.nanoTime();
        kept.join();
        kept.join(60_000);
        final long joinMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joinStartNs);
        Check.that("kept-thread-join-returns-at-once", joinMs < 10_000, joinMs + " ms");
        String secondStart;
        try
        {
            kept.start();
            secondStart = "started again";
        }
        catch (final IllegalThreadStateException expected)
        {
            secondStart = "refused";
        }
        Check.that("kept-thread-cannot-start-again", "refused".equals(secondStart), secondStart);
        System.out.println("DONE");
    }

    /** In its own frame, so that no local variable of main keeps the last thread reachable. */
    private static List<WeakReference<Thread>> startJoinAndDrop() throws InterruptedException
    {
        final List<WeakReference<Thread>> finished = new ArrayList<>();
        int moved = 0;
        int writtenBack = 0;
        for (int i = 0; i < THREADS; i++)
        {
            final long ranIn;
            final byte last;
            final Thread thread;
            if (i % 2 == 0)
            {
                final PayloadTask task = new PayloadTask();
                thread = new Thread(task, "payload-task-" + i);
                thread.start();
                thread.join();
                ranIn = task.ranIn;
                last = task.payload[PAYLOAD_BYTES - 1];
            }
            else
            {
                final PayloadThread payloadThread = new PayloadThread("payload-thread-" + i);
                thread = payloadThread;
                thread.start();
                thread.join();
                ranIn = payloadThread.ranIn;
                last = payloadThread.payload[PAYLOAD_BYTES - 1];
            }
            moved += ranIn != 0 && ranIn != Check.pid() ? 1 : 0;
            writtenBack += last == 1 ? 1 : 0;
            finished.add(new WeakReference<>(thread));
        }
        Check.that("payload-threads-moved", moved == THREADS, moved + " of " + THREADS + " ran on a node");
        Check.that("payload-writes-merged", writtenBack == THREADS, writtenBack + " of " + THREADS);
        return finished;
    }
}
