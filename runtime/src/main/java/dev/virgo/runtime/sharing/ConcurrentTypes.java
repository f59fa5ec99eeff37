package dev.virgo.runtime.sharing;

import java.util.Set;

/**
 * The {@code java.util.concurrent} types whose calls, on a node, go to the origin when the object is shared
 * ({@link SyncContext#invoke}): the one list the node's rewriting ({@code dev.virgo.runtime.node.SyncSiteRewriter})
 * and its first look at a class ({@code SiteSurvey}) consult. A call is recognized by the owner its instruction names,
 * which javac takes from the receiver's static type, so each class that declares the methods and each interface a
 * program calls them through is listed.
 * <ul>
 *     <li>{@code atomic}: the atomics and the adders and accumulators. Their state is the value itself, updated in
 *     place by compare-and-set loops, so a node's copy can only agree with the origin's if every read and update is
 *     the origin's.</li>
 *     <li>{@code locks}: {@code Lock}, {@code ReadWriteLock} and {@code Condition} (how programs usually hold them),
 *     {@code ReentrantLock}, {@code ReentrantReadWriteLock} and its two views. Ownership is a thread's, kept in the
 *     lock: it must be the origin's lock the thread's shadow owns, so that the origin's threads are excluded.</li>
 *     <li>{@code CountDownLatch}, {@code CyclicBarrier}, {@code Semaphore}, {@code Phaser}: threads wait on each
 *     other through their counts; the waiting happens where every party can count, the origin.</li>
 * </ul>
 * Left out: the blocking queues and concurrent maps, called through {@code Queue}, {@code Collection} or {@code Map}
 * like any collection, so that a call's owner cannot tell them apart (they stay refused at {@code start()}). Of the
 * listed types' methods, those {@code Object} declares other than {@code toString} are not the object's state
 * ({@code hashCode}, {@code equals} and {@code getClass} answer the node's copy; {@code wait} and {@code notify} are
 * monitor sites of their own), and constructors and static methods have no shared receiver.
 */
public final class ConcurrentTypes
{
    /**
     * A node's rewritten class reaches a method reference's concurrent method through a synthetic static method of
     * its own, {@code BRIDGE_PREFIX + name} taking the owner first: the name and descriptor say which method, so that
     * a serialized lambda naming a bridge can be rebuilt where the class has none (the origin).
     */
    public static final String BRIDGE_PREFIX = "virgo$concurrent$";

    private static final Set<String> OWNERS = Set.of(
        "java/util/concurrent/atomic/AtomicBoolean",
        "java/util/concurrent/atomic/AtomicInteger",
        "java/util/concurrent/atomic/AtomicLong",
        "java/util/concurrent/atomic/AtomicReference",
        "java/util/concurrent/atomic/AtomicIntegerArray",
        "java/util/concurrent/atomic/AtomicLongArray",
        "java/util/concurrent/atomic/AtomicReferenceArray",
        "java/util/concurrent/atomic/LongAdder",
        "java/util/concurrent/atomic/LongAccumulator",
        "java/util/concurrent/atomic/DoubleAdder",
        "java/util/concurrent/atomic/DoubleAccumulator",
        "java/util/concurrent/locks/Lock",
        "java/util/concurrent/locks/ReadWriteLock",
        "java/util/concurrent/locks/Condition",
        "java/util/concurrent/locks/ReentrantLock",
        "java/util/concurrent/locks/ReentrantReadWriteLock",
        "java/util/concurrent/locks/ReentrantReadWriteLock$ReadLock",
        "java/util/concurrent/locks/ReentrantReadWriteLock$WriteLock",
        "java/util/concurrent/CountDownLatch",
        "java/util/concurrent/CyclicBarrier",
        "java/util/concurrent/Semaphore",
        "java/util/concurrent/Phaser");
    /** The methods of {@code Object} that answer the node's copy, or are monitor sites, by name and descriptor. */
    private static final Set<String> LOCAL_OBJECT_METHODS = Set.of(
        "hashCode()I",
        "equals(Ljava/lang/Object;)Z",
        "getClass()Ljava/lang/Class;",
        "clone()Ljava/lang/Object;",
        "finalize()V",
        "wait()V",
        "wait(J)V",
        "wait(JI)V",
        "notify()V",
        "notifyAll()V");

    private ConcurrentTypes()
    {
    }

    /** @return true when {@code internalName} is one of the types listed above. */
    public static boolean isSharedConcurrentOwner(final String internalName)
    {
        return OWNERS.contains(internalName);
    }

    /**
     * @param owner      the internal name an {@code invokevirtual} or {@code invokeinterface} names.
     * @param name       the method's name.
     * @param descriptor the method's descriptor.
     * @return true when the call goes to the origin for a shared receiver.
     */
    public static boolean isSharedConcurrentMethod(final String owner, final String name, final String descriptor)
    {
        return OWNERS.contains(owner) && !"<init>".equals(name) && !LOCAL_OBJECT_METHODS.contains(name + descriptor);
    }
}
