package dev.virgo.runtime.sharing;

import java.lang.invoke.VarHandle;
import java.util.HashSet;
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
 *     lock: it must be the origin's lock the thread's shadow owns, so that the origin's threads are excluded.
 *     {@code StampedLock}: not owned by a thread but by whoever holds a stamp; the stamps are the origin lock's.</li>
 *     <li>{@code CountDownLatch}, {@code CyclicBarrier}, {@code Semaphore}, {@code Phaser}: threads wait on each
 *     other through their counts; the waiting happens where every party can count, the origin. {@code Exchanger}:
 *     two threads meet where both can arrive, the origin, and each leaves with the other's object.</li>
 * </ul>
 * The concurrent collections and maps ({@link #isCarriedCollection}) are the other kind: a call site names them through
 * {@code Queue}, {@code Collection}, {@code Map} or {@code List} like any collection, so such a site is recognized by its
 * method ({@link #isCollectionUpdate}: the ones that change the collection, or take from it) and the receiver's class
 * decides, each time, whether it goes to the origin. Their reads stay on the node's copy, which every exchange with the
 * origin brings up to date: what a thread reads is the collection as of its last acquire, which is all the memory
 * model lets another thread count on; what it changes is changed at the origin, one operation at a time, so two
 * threads never take the same element or both insert the same absent key.
 * <p>
 * Of the listed types' methods, those {@code Object} declares other than {@code toString} are not the object's state
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
        "java/util/concurrent/atomic/AtomicMarkableReference",
        "java/util/concurrent/atomic/AtomicStampedReference",
        "java/util/concurrent/atomic/AtomicIntegerArray",
        "java/util/concurrent/atomic/AtomicLongArray",
        "java/util/concurrent/atomic/AtomicReferenceArray",
        "java/util/concurrent/atomic/AtomicIntegerFieldUpdater",
        "java/util/concurrent/atomic/AtomicLongFieldUpdater",
        "java/util/concurrent/atomic/AtomicReferenceFieldUpdater",
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
        "java/util/concurrent/locks/StampedLock",
        "java/util/concurrent/CountDownLatch",
        "java/util/concurrent/CyclicBarrier",
        "java/util/concurrent/Semaphore",
        "java/util/concurrent/Phaser",
        "java/util/concurrent/Exchanger");
    /**
     * The concurrent collections whose updates go to the origin, by exact class: a subclass may override what it
     * likes, so a program's own queue class is not one of them (a shared one is refused, or merged as a collection).
     */
    private static final Set<String> CARRIED_COLLECTIONS = Set.of(
        "java.util.concurrent.ConcurrentHashMap",
        "java.util.concurrent.ConcurrentSkipListMap",
        "java.util.concurrent.ConcurrentSkipListSet",
        "java.util.concurrent.ConcurrentLinkedQueue",
        "java.util.concurrent.ConcurrentLinkedDeque",
        "java.util.concurrent.CopyOnWriteArrayList",
        "java.util.concurrent.CopyOnWriteArraySet",
        "java.util.concurrent.LinkedBlockingQueue",
        "java.util.concurrent.LinkedBlockingDeque",
        "java.util.concurrent.ArrayBlockingQueue",
        "java.util.concurrent.PriorityBlockingQueue",
        "java.util.concurrent.LinkedTransferQueue",
        "java.util.concurrent.SynchronousQueue");
    /** The types a call on one of {@link #CARRIED_COLLECTIONS} may name: they and what they extend or implement. */
    private static final Set<String> COLLECTION_OWNERS = Set.of(
        "java/util/Collection",
        "java/util/AbstractCollection",
        "java/util/Queue",
        "java/util/AbstractQueue",
        "java/util/Deque",
        "java/util/List",
        "java/util/Set",
        "java/util/AbstractSet",
        "java/util/SortedSet",
        "java/util/NavigableSet",
        "java/util/Map",
        "java/util/AbstractMap",
        "java/util/SortedMap",
        "java/util/NavigableMap",
        "java/util/concurrent/BlockingQueue",
        "java/util/concurrent/BlockingDeque",
        "java/util/concurrent/TransferQueue",
        "java/util/concurrent/ConcurrentMap",
        "java/util/concurrent/ConcurrentNavigableMap",
        "java/util/concurrent/ConcurrentHashMap",
        "java/util/concurrent/ConcurrentSkipListMap",
        "java/util/concurrent/ConcurrentSkipListSet",
        "java/util/concurrent/ConcurrentLinkedQueue",
        "java/util/concurrent/ConcurrentLinkedDeque",
        "java/util/concurrent/CopyOnWriteArrayList",
        "java/util/concurrent/CopyOnWriteArraySet",
        "java/util/concurrent/LinkedBlockingQueue",
        "java/util/concurrent/LinkedBlockingDeque",
        "java/util/concurrent/ArrayBlockingQueue",
        "java/util/concurrent/PriorityBlockingQueue",
        "java/util/concurrent/LinkedTransferQueue",
        "java/util/concurrent/SynchronousQueue");
    /**
     * The methods of those types that change the collection or take from it, by name: every one of Collection, Queue,
     * Deque, List, Set, the navigable sets and maps, Map, ConcurrentMap, the blocking queues and deques, TransferQueue
     * and CopyOnWriteArrayList. Reads ({@code get}, {@code size}, {@code peek}, iteration, views) are not here.
     */
    private static final Set<String> COLLECTION_UPDATES = Set.of(
        "add", "addAll", "offer", "put", "putAll", "poll", "remove", "removeAll", "retainAll", "removeIf", "clear",
        "take", "drainTo", "transfer", "tryTransfer",
        "addFirst", "addLast", "offerFirst", "offerLast", "pollFirst", "pollLast", "putFirst", "putLast",
        "takeFirst", "takeLast", "removeFirst", "removeLast", "removeFirstOccurrence", "removeLastOccurrence",
        "push", "pop", "set", "sort", "replaceAll", "addIfAbsent", "addAllAbsent",
        "putIfAbsent", "merge", "compute", "computeIfAbsent", "computeIfPresent", "replace",
        "pollFirstEntry", "pollLastEntry");

    private static final String VAR_HANDLE = "java/lang/invoke/VarHandle";
    /** A VarHandle's access modes by method name: its calls that read or write the variable. */
    private static final Set<String> ACCESS_MODES = accessModes();

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

    /** @return true when {@code internalName} is one of the synchronizer types listed above, or VarHandle. */
    public static boolean isSharedConcurrentOwner(final String internalName)
    {
        return OWNERS.contains(internalName) || VAR_HANDLE.equals(internalName);
    }

    /**
     * @return true when the call is one of a {@code VarHandle}'s access modes ({@code get}, {@code compareAndSet},
     * {@code getAndAdd}...), all of which go to the origin for a shared VarHandle, plain ones too: a VarHandle is
     * shared when the program keeps it where its threads use it, and it then updates the origin's objects.
     */
    public static boolean isVarHandleAccess(final String owner, final String name)
    {
        return VAR_HANDLE.equals(owner) && ACCESS_MODES.contains(name);
    }

    private static Set<String> accessModes()
    {
        final HashSet<String> names = new HashSet<>();
        for (final VarHandle.AccessMode mode : VarHandle.AccessMode.values())
        {
            names.add(mode.methodName());
        }
        return Set.copyOf(names);
    }

    /**
     * @return true when, once {@code object} is shared, the calls a node thread makes on it go to the origin (a
     * synchronizer of the list above or a class extending one, a {@code VarHandle}, a carried collection); before
     * that, they run on the node's object. Such an object must join the shared table only at a point of the thread's
     * own program order (its releases), never from the refresher: a call site decides by a guard and then acts, and
     * an object published between the two would take a call on the node's copy that the origin never sees.
     */
    public static boolean isCarried(final Object object)
    {
        return null != object && CARRIED.get(object.getClass());
    }

    private static final ClassValue<Boolean> CARRIED = new ClassValue<>()
    {
        @Override
        protected Boolean computeValue(final Class<?> type)
        {
            if (isCarriedCollection(type))
            {
                return true;
            }
            for (Class<?> c = type; null != c; c = c.getSuperclass())
            {
                if (namesOwner(c))
                {
                    return true;
                }
            }
            return false;
        }

        private boolean namesOwner(final Class<?> type)
        {
            if (isSharedConcurrentOwner(type.getName().replace('.', '/')))
            {
                return true;
            }
            for (final Class<?> implemented : type.getInterfaces())
            {
                if (namesOwner(implemented))
                {
                    return true;
                }
            }
            return false;
        }
    };

    /** @return true when {@code type} is exactly one of the concurrent collections whose updates go to the origin. */
    public static boolean isCarriedCollection(final Class<?> type)
    {
        return CARRIED_COLLECTIONS.contains(type.getName()) && null == type.getClassLoader();
    }

    /**
     * @return true when a call of this owner and name changes, or takes from, a concurrent collection that is its
     * receiver: an update's name on an owner one of them may be called through. Whether the receiver is one is the
     * call site's question, each time ({@link #isCarriedCollection}).
     */
    public static boolean isCollectionUpdate(final String owner, final String name)
    {
        return COLLECTION_OWNERS.contains(owner) && COLLECTION_UPDATES.contains(name);
    }

    /**
     * @param owner      the internal name an {@code invokevirtual} or {@code invokeinterface} names.
     * @param name       the method's name.
     * @param descriptor the method's descriptor.
     * @return true when the call goes to the origin for a shared receiver.
     */
    public static boolean isSharedConcurrentMethod(final String owner, final String name, final String descriptor)
    {
        return OWNERS.contains(owner) && !"<init>".equals(name) && !LOCAL_OBJECT_METHODS.contains(name + descriptor) ||
            isCollectionUpdate(owner, name) || isVarHandleAccess(owner, name);
    }
}
