package dev.virgo.api.heap.sync;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.api.heap.SharedMemory;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A re-entrant mutual-exclusion lock across members, like {@link java.util.concurrent.locks.ReentrantLock} (not
 * fair), with {@link SharedCondition}s.
 * <pre>
 *   address +0                  +8                  +16
 *  +-------------------+-------------------+
 *  | owner (long)      | hold count (long) |
 *  +-------------------+-------------------+
 *   owner: 0 = free, else ((member id + 1) &lt;&lt; 48) | (thread id &amp; 0xffff_ffff_ffff)
 * </pre>
 * Acquiring is test-and-compare-and-set on the owner word (spinning with back-off on a plain get while it is held);
 * releasing is a compare-and-set back to 0. The hold count is written only by the holder.
 *
 * <p><b>Who holds it.</b> A holder is a thread of a member: the member's id ({@link SharedMemory#memberId()}) and the
 * thread's id, which HotSpot never reuses within a JVM. So any two handles on one lock in one JVM (two {@link #at}
 * calls, or a lock that travelled in a moved thread's graph and was bound to that node's member) act as one, as two
 * references to one {@code ReentrantLock} do; a thread of another member never passes for the holder.
 * {@link #unlock} by a thread that does not hold the lock is an {@link IllegalMonitorStateException}.
 *
 * <p><b>Consistency.</b> Because the heap's plain accesses are sequentially consistent and its compare-and-set is
 * atomic, at most one thread holds the lock at a time, and everything a holder wrote before {@link #unlock} is seen by
 * the next holder on any member.
 *
 * <p>{@link #lock()} honours interruption (it is {@code lockInterruptibly}). A holder that dies (its member leaves)
 * without unlocking leaves the lock held: there is no lease.
 */
public final class SharedLock
{
    private static final int OWNER_OFFSET = 0;
    private static final int HOLDS_OFFSET = 8;
    private static final int STATE_BYTES = 16;
    private static final long FREE = 0;

    private final SharedMemory memory;
    private final long address;

    private SharedLock(final SharedMemory memory, final long address)
    {
        this.memory = memory;
        this.address = address;
    }

    /** @return a new, free lock homed at {@code memory}'s member. */
    public static SharedLock create(final SharedMemory memory)
    {
        return new SharedLock(memory, memory.malloc(STATE_BYTES));
    }

    /** @return a handle on the lock whose {@link #address()} is {@code address}. */
    public static SharedLock at(final SharedMemory memory, final long address)
    {
        Objects.requireNonNull(memory, "memory");
        return new SharedLock(memory, Waits.checkStateAddress(address, "SharedLock"));
    }

    public long address()
    {
        return address;
    }

    /** Acquires the lock, waiting as long as it takes. */
    public void lock() throws InterruptedException
    {
        if (!reenter())
        {
            final long token = token();
            Waits.await(() -> tryAcquire(token), Waits.NO_TIMEOUT);
        }
    }

    /** @return true if the lock was free (or held by this thread) and is now held by this thread. */
    public boolean tryLock()
    {
        return reenter() || tryAcquire(token());
    }

    /** @return true if this thread got the lock within {@code timeout}. */
    public boolean tryLock(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        if (reenter())
        {
            return true;
        }
        final long token = token();
        return Waits.await(() -> tryAcquire(token), Waits.toNanos(timeout, unit));
    }

    /** Releases one hold; the last releases the lock. */
    public void unlock()
    {
        checkHeldByCurrentThread("unlock");
        final long holds = memory.getLong(address + HOLDS_OFFSET);
        if (holds > 1)
        {
            memory.putLong(address + HOLDS_OFFSET, holds - 1);
        }
        else
        {
            release();
        }
    }

    public boolean isLocked()
    {
        return FREE != memory.getLong(address + OWNER_OFFSET);
    }

    public boolean isHeldByCurrentThread()
    {
        return token() == memory.getLong(address + OWNER_OFFSET);
    }

    /** @return how many times this thread holds the lock (0 if it does not). */
    public long getHoldCount()
    {
        return isHeldByCurrentThread() ? memory.getLong(address + HOLDS_OFFSET) : 0;
    }

    /** @return a new condition of this lock, its state freshly allocated (see {@link SharedCondition}). */
    public SharedCondition newCondition()
    {
        return new SharedCondition(this, memory, memory.malloc(SharedCondition.STATE_BYTES));
    }

    /** @return a handle, through this lock handle, on the condition of this lock whose address is {@code address}. */
    public SharedCondition conditionAt(final long address)
    {
        return new SharedCondition(this, memory, Waits.checkStateAddress(address, "SharedCondition"));
    }

    /** Returns the state to the heap; no member may use this lock afterwards. Its conditions are freed separately. */
    public void free()
    {
        memory.free(address);
    }

    void checkHeldByCurrentThread(final String action)
    {
        final long owner = memory.getLong(address + OWNER_OFFSET);
        if (owner != token())
        {
            throw new IllegalMonitorStateException(action + " of " + this + " by thread " +
                Thread.currentThread().getName() + " (token 0x" + Long.toHexString(token()) + ") which does not " +
                "hold it; owner=0x" + Long.toHexString(owner));
        }
    }

    /** Releases every hold of this thread, for a condition wait. @return how many there were. */
    long releaseFully()
    {
        final long holds = memory.getLong(address + HOLDS_OFFSET);
        release();
        return holds;
    }

    /** Re-acquires after a condition wait, restoring the holds, whatever interrupts come. */
    void reacquire(final long holds)
    {
        final long token = token();
        Waits.awaitUninterruptibly(() -> tryAcquire(token));
        memory.putLong(address + HOLDS_OFFSET, holds);
    }

    private void release()
    {
        memory.putLong(address + HOLDS_OFFSET, 0);
        final long token = token();
        if (!memory.compareAndSetLong(address + OWNER_OFFSET, token, FREE))
        {
            throw new IllegalMonitorStateException(this + ": lost while held by token 0x" + Long.toHexString(token));
        }
    }

    private boolean reenter()
    {
        if (memory.getLong(address + OWNER_OFFSET) != token())
        {
            return false;
        }
        memory.putLong(address + HOLDS_OFFSET, memory.getLong(address + HOLDS_OFFSET) + 1);
        return true;
    }

    private boolean tryAcquire(final long token)
    {
        if (FREE == memory.getLong(address + OWNER_OFFSET) &&
            memory.compareAndSetLong(address + OWNER_OFFSET, FREE, token))
        {
            memory.putLong(address + HOLDS_OFFSET, 1);
            return true;
        }
        return false;
    }

    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; this module targets 17.
    private long token()
    {
        return ((long)(memory.memberId() + 1) << 48) | (Thread.currentThread().getId() & 0xFFFF_FFFF_FFFFL);
    }

    @Override
    public String toString()
    {
        return "SharedLock[address=" + GlobalAddress.toString(address) + "]";
    }
}
