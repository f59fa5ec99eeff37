package dev.virgo.it.apps.wrappers;

import dev.virgo.it.apps.Check;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A moved thread that creates an atomic counter and a lock inside run() and leaves them in its fields: main reads
 * them after join, as it would locally. A thread that ends still holding a lock it created either gets an error
 * naming it (the lock was still the node's own) or leaves it held at the origin (it had been published), as a local
 * thread leaves it held. Run with {@code offload=dev.virgo.it.apps.wrappers.*}; prints {@code ORIGIN-PID} and {@code HOLDER-PID} for
 * the IT.
 */
public class CreatedSynchronizersApp
{
    static final long ORIGIN = Check.pid();
    static final int ROUNDS = 10;

    static final class Tally implements Runnable
    {
        AtomicInteger counter;
        ReentrantLock lock;
        long ranIn;

        @Override
        public void run()
        {
            counter = new AtomicInteger(5);
            lock = new ReentrantLock();
            for (int i = 0; i < ROUNDS; i++)
            {
                lock.lock();
                try
                {
                    counter.incrementAndGet();
                }
                finally
                {
                    lock.unlock();
                }
            }
            ranIn = Check.pid();
        }
    }

    static final class Holder implements Runnable
    {
        ReentrantLock lock;

        @Override
        public void run()
        {
            lock = new ReentrantLock();
            lock.lock();
            System.out.println("HOLDER-PID " + Check.pid());
        }
    }

    public static void main(final String[] args) throws Exception
    {
        System.out.println("ORIGIN-PID " + ORIGIN);
        final Tally tally = new Tally();
        final Thread thread = new Thread(tally, "tally");
        thread.start();
        thread.join();
        Check.that("tally-moved", tally.ranIn != ORIGIN && tally.ranIn != 0, tally.ranIn + ", origin " + ORIGIN);
        Check.that("created-counter-came-back", tally.counter != null && tally.counter.get() == 5 + ROUNDS,
            tally.counter);
        Check.that("created-lock-came-back-unlocked", tally.lock != null && !tally.lock.isLocked() &&
            tally.lock.tryLock(), tally.lock);

        final Holder holder = new Holder();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread held = new Thread(holder, "holder");
        held.setUncaughtExceptionHandler((t, ex) -> failure.set(ex));
        held.start();
        held.join();
        final Throwable ex = failure.get();
        // Either the lock was still the node's own when the thread ended (it cannot be handed over: the handler says
        // so), or the refresher had published it before lock() (then lock() took the origin's, which stays held, as a
        // lock a local thread ends holding stays held). Never a lock that came back unlocked in silence.
        final boolean refused = ex != null && String.valueOf(ex.getMessage()).contains("a lock this node holds itself");
        final boolean stillHeld = ex == null && holder.lock != null && holder.lock.isLocked() && !holder.lock.tryLock();
        Check.that("held-lock-reaches-the-handler-or-stays-held", refused || stillHeld,
            ex + ", lock " + holder.lock);
        System.out.println("DONE");
    }
}
