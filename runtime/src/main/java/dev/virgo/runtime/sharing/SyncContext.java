package dev.virgo.runtime.sharing;

/**
 * The moved thread a node thread belongs to, as {@link SyncSites} sees it: whether an object is shared with the
 * origin, and the synchronization operations on shared objects, carried out at the origin by the thread's shadow.
 * Implemented by the node; bound to a thread with {@link SyncSites#bind}.
 */
public interface SyncContext
{
    /** @return true when {@code object} is the node's copy of an object the origin has (a monitor there). */
    boolean isShared(Object object);

    /**
     * A thread made by one of this context's threads inherited the context: from now on other threads than the moved
     * thread itself may synchronize on its shared objects. Called on the making thread, in the new thread's constructor.
     */
    void inheritedByNewThread();

    /** After the node thread entered the local monitor of shared {@code monitor}: enter the origin's (an acquire). */
    void enter(Object monitor);

    /** Before the node thread exits the local monitor of shared {@code monitor}: exit the origin's (a release). */
    void exit(Object monitor);

    /**
     * {@code Object.wait} on shared {@code monitor}: a release, the wait at the origin (which releases the origin's
     * monitor), an acquire. {@code timeoutMs} 0 waits until notified.
     */
    void await(Object monitor, long timeoutMs) throws InterruptedException;

    /** {@code notify} ({@code all} false) or {@code notifyAll} on shared {@code monitor}, at the origin. */
    void notify(Object monitor, boolean all);

    /**
     * A {@code volatile} read of a field of shared {@code target} (or a static, {@code target} null): an acquire
     * that brings the origin's current value into the node's copy, which the caller then reads.
     */
    void beforeVolatileRead(Object target, Class<?> owner, String field);

    /**
     * A {@code volatile} write, already made to the node's copy: a release that publishes it, with everything the
     * thread wrote before, to the origin (the field written last there).
     */
    void afterVolatileWrite(Object target, Class<?> owner, String field);

    /**
     * A call of a {@code java.util.concurrent} method (an atomic, a lock or its condition, a latch, a barrier, a
     * semaphore, a phaser) on shared {@code target}: performed at the origin on the real object by the thread's
     * shadow, with a release before it and an acquire after it, as the JDK's own promise for these methods is at
     * least that (a volatile read and write).
     *
     * @param target     the node's copy of the shared object the call names.
     * @param owner      internal name of the class or interface the call site names, e.g.
     *                   {@code java/util/concurrent/locks/Lock}.
     * @param name       the method's name.
     * @param descriptor the method's descriptor at the call site, e.g. {@code (JLjava/util/concurrent/TimeUnit;)Z}.
     * @param args       the arguments, primitives boxed.
     * @return the result, a primitive boxed, null for void.
     * @throws Throwable what the method threw at the origin (an InterruptedException, a BrokenBarrierException...).
     */
    Object invoke(Object target, String owner, String name, String descriptor, Object[] args) throws Throwable;
}
