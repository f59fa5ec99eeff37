package dev.virgo.api.heap.sync;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.api.heap.SharedMemory;

import java.util.concurrent.TimeUnit;

/**
 * A condition of a {@link SharedLock}, like {@link java.util.concurrent.locks.Condition}: threads on any member
 * {@link #await} while holding the lock, and are woken by {@link #signal} (one, first come first served) or
 * {@link #signalAll} from any member. Made by {@link SharedLock#newCondition()}; its address travels, and another
 * member attaches with {@link SharedLock#conditionAt(long)} on its own handle of the same lock.
 * <pre>
 *   address +0                  +8                  +16                 +24
 *  +-------------------+-------------------+-------------------+
 *  | tickets (long)    | released (long)   | cancelled (long)  |
 *  +-------------------+-------------------+-------------------+
 * </pre>
 * All three are written only by the lock holder. {@code await} takes ticket {@code t = tickets++}, releases the lock,
 * waits (spinning with back-off on a plain get) until {@code released > t}, then re-acquires the lock with its former
 * hold count. {@code signal} releases the next ticket ({@code released++}), {@code signalAll} releases all
 * ({@code released = tickets}).
 *
 * <p>A waiter that times out or is interrupted before its ticket is released cannot take the ticket back, so it
 * counts itself in {@code cancelled}; {@code signal} then releases {@code 1 + cancelled} tickets, enough that at least
 * one live waiter (if any) is among them. {@code cancelled} is zeroed when every ticket is released. A signal is thus
 * never lost, at the price of a few spurious wakeups after cancellations, which {@code Condition} allows: wait in a
 * loop that re-checks the predicate. A waiter whose ticket was released returns normally even if it was interrupted
 * meanwhile (its interrupt flag is set again), so that signal is not lost either.
 *
 * <p>Consistency: the lock orders every update of the state; the heap's sequential consistency makes the waiter's
 * plain get see the signaller's put, and what the signaller wrote under the lock before.
 */
public final class SharedCondition
{
    static final int STATE_BYTES = 24;
    private static final int TICKETS_OFFSET = 0;
    private static final int RELEASED_OFFSET = 8;
    private static final int CANCELLED_OFFSET = 16;

    private final SharedLock lock;
    private final SharedMemory memory;
    private final long address;

    SharedCondition(final SharedLock lock, final SharedMemory memory, final long address)
    {
        this.lock = lock;
        this.memory = memory;
        this.address = address;
    }

    public long address()
    {
        return address;
    }

    /** Releases the lock and waits until signalled (or spuriously woken), then re-acquires it. */
    public void await() throws InterruptedException
    {
        await(Waits.NO_TIMEOUT);
    }

    /** As {@link #await()}, for at most {@code timeout}. @return false if the time passed without a signal. */
    public boolean await(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return await(Waits.toNanos(timeout, unit));
    }

    /** Wakes the longest-waiting thread, if any. The caller must hold the lock. */
    public void signal()
    {
        lock.checkHeldByCurrentThread("signal");
        final long tickets = memory.getLong(address + TICKETS_OFFSET);
        final long released = memory.getLong(address + RELEASED_OFFSET);
        if (released < tickets)
        {
            final long cancelled = memory.getLong(address + CANCELLED_OFFSET);
            release(tickets, Math.min(tickets, released + 1 + cancelled));
        }
    }

    /** Wakes every waiting thread. The caller must hold the lock. */
    public void signalAll()
    {
        lock.checkHeldByCurrentThread("signalAll");
        final long tickets = memory.getLong(address + TICKETS_OFFSET);
        release(tickets, tickets);
    }

    /** Returns the state to the heap; no member may use this condition afterwards. */
    public void free()
    {
        memory.free(address);
    }

    private void release(final long tickets, final long released)
    {
        memory.putLong(address + RELEASED_OFFSET, released);
        if (released == tickets)
        {
            memory.putLong(address + CANCELLED_OFFSET, 0);
        }
    }

    private boolean await(final long timeoutNs) throws InterruptedException
    {
        lock.checkHeldByCurrentThread("await");
        final long ticket = memory.getLong(address + TICKETS_OFFSET);
        memory.putLong(address + TICKETS_OFFSET, ticket + 1);
        final long holds = lock.releaseFully();
        boolean signalled = false;
        InterruptedException interrupted = null;
        try
        {
            signalled = Waits.await(() -> memory.getLong(address + RELEASED_OFFSET) > ticket, timeoutNs);
        }
        catch (final InterruptedException ex)
        {
            interrupted = ex;
        }
        finally
        {
            lock.reacquire(holds);
        }
        if (!signalled)
        {
            if (memory.getLong(address + RELEASED_OFFSET) > ticket)
            {
                signalled = true;
                if (null != interrupted)
                {
                    Thread.currentThread().interrupt();
                    interrupted = null;
                }
            }
            else
            {
                memory.putLong(address + CANCELLED_OFFSET, memory.getLong(address + CANCELLED_OFFSET) + 1);
            }
        }
        if (null != interrupted)
        {
            throw interrupted;
        }
        return signalled;
    }

    @Override
    public String toString()
    {
        return "SharedCondition[address=" + GlobalAddress.toString(address) + ", lock=" + lock + "]";
    }
}
