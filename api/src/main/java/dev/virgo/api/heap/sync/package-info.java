/**
 * Synchronizers that work across members of the shared heap: an atomic long, a count-down latch, a cyclic barrier,
 * and a re-entrant lock with conditions. Each keeps all its state in shared memory and is built only from
 * {@link dev.virgo.api.heap.SharedMemory}'s atomics and plain accesses, so it works with any member on any JVM: one member
 * calls {@code create(memory, ...)}, the {@code address()} travels, and others call {@code at(memory, address)}.
 *
 * <p><b>Consistency.</b> They rely on the heap's promise: plain gets and puts are sequentially consistent and
 * compare-and-set / get-and-add are atomic, across all members. So what a thread wrote before releasing a lock,
 * counting down a latch or arriving at a barrier is seen by the thread that then acquires the lock, passes the latch
 * or leaves the barrier, on any member.
 *
 * <p><b>Waiting</b> spins on a plain get of the state with back-off: a few {@link Thread#onSpinWait()}, then
 * {@link Thread#yield()}, then {@link java.util.concurrent.locks.LockSupport#parkNanos} growing to 1 ms. A waiter
 * therefore notices a change within about 1 ms plus a read miss, and idles without burning a core. Every blocking
 * method has a timed form and throws {@link InterruptedException} when its thread is interrupted.
 *
 * <p><b>Memory.</b> Each {@code create} is one {@code malloc}, i.e. at least one page; {@code free()} returns it.
 */
package dev.virgo.api.heap.sync;
