package dev.virgo.runtime.origin;

import dev.virgo.api.VirgoException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiFunction;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The calls a node may have the origin make for it: java.util.concurrent instance methods on objects of their class,
 * and nothing else, however the request names it.
 */
class ConcurrentCallsTest
{
    @Test
    void shouldMakeTheCallANodeNamesAndReturnWhatItGaveOrThrew()
    {
        final AtomicInteger counter = new AtomicInteger(41);
        final ConcurrentCalls.Call increment =
            ConcurrentCalls.resolve("java.util.concurrent.atomic.AtomicInteger", "incrementAndGet()I");
        assertEquals(42, ConcurrentCalls.invoke(increment, counter, new Object[0]).result);

        final ReentrantLock lock = new ReentrantLock();
        final ConcurrentCalls.Call tryLock =
            ConcurrentCalls.resolve("java.util.concurrent.locks.Lock", "tryLock(JLjava/util/concurrent/TimeUnit;)Z");
        assertEquals(Boolean.TRUE, ConcurrentCalls.invoke(tryLock, lock, new Object[]{1L, TimeUnit.SECONDS}).result);
        assertTrue(lock.isHeldByCurrentThread());

        final ConcurrentCalls.Call unlock = ConcurrentCalls.resolve("java.util.concurrent.locks.Lock", "unlock()V");
        assertNull(ConcurrentCalls.invoke(unlock, lock, new Object[0]).result);
        final ConcurrentCalls.Outcome again = ConcurrentCalls.invoke(unlock, lock, new Object[0]);
        assertInstanceOf(IllegalMonitorStateException.class, again.thrown, "what the method threw is its outcome");

        final ConcurrentCalls.Call isAlive = ConcurrentCalls.resolve("java.lang.Thread", "isAlive()Z");
        assertEquals(Boolean.TRUE, ConcurrentCalls.invoke(isAlive, Thread.currentThread(), new Object[0]).result);

        final ConcurrentCalls.Call await = ConcurrentCalls.resolve("java.util.concurrent.CountDownLatch", "await()V");
        Thread.currentThread().interrupt();
        assertInstanceOf(InterruptedException.class,
            ConcurrentCalls.invoke(await, new CountDownLatch(1), new Object[0]).thrown);
    }

    @Test
    void shouldRefuseAnythingButAJavaUtilConcurrentInstanceMethodOnAnObjectOfItsClass()
    {
        assertRefused("java.lang.Runtime", "exit(I)V", "only java.util.concurrent calls");
        assertRefused("java.lang.Thread", "stop()V", "only java.util.concurrent calls");
        assertRefused("java.lang.Thread", "setDaemon(Z)V", "only java.util.concurrent calls");
        assertRefused("java.util.concurrent.locks.LockSupport", "park()V", "not a public instance method");
        assertRefused("java.util.concurrent.atomic.AtomicInteger", "wait()V", "not a public instance method");
        assertRefused("java.util.concurrent.atomic.AtomicInteger", "incrementAndGet()J", "not a public instance method");
        assertRefused("java.util.concurrent.atomic.AtomicInteger", "noSuchMethod()V", "does not have");
        assertRefused("java.util.concurrent.NoSuchClass", "run()V", "does not have");
        assertRefused("java.util.concurrent.atomic.AtomicInteger", "get", "names no method");

        final ConcurrentCalls.Call increment =
            ConcurrentCalls.resolve("java.util.concurrent.atomic.AtomicInteger", "incrementAndGet()I");
        final VirgoException wrongTarget = assertThrows(VirgoException.class,
            () -> ConcurrentCalls.invoke(increment, "a string", new Object[0]));
        assertTrue(wrongTarget.getMessage().contains("on java.lang.String"), wrongTarget.getMessage());
        final ConcurrentCalls.Call add =
            ConcurrentCalls.resolve("java.util.concurrent.atomic.AtomicInteger", "addAndGet(I)I");
        assertThrows(VirgoException.class, () -> ConcurrentCalls.invoke(add, new AtomicInteger(), new Object[]{"x"}));
    }

    @Test
    void shouldMakeACollectionsUpdateOnlyOnAConcurrentCollectionOfTheJdksOwnClass()
    {
        final ConcurrentCalls.Call poll = ConcurrentCalls.resolve("java.util.Queue", "poll()Ljava/lang/Object;");
        final ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>(List.of(1, 2));
        assertEquals(1, ConcurrentCalls.invoke(poll, queue, new Object[0]).result);
        final ConcurrentCalls.Call merge = ConcurrentCalls.resolve("java.util.Map",
            "merge(Ljava/lang/Object;Ljava/lang/Object;Ljava/util/function/BiFunction;)Ljava/lang/Object;");
        final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>(Map.of("a", 1));
        final BiFunction<Integer, Integer, Integer> sum = Integer::sum;
        assertEquals(2, ConcurrentCalls.invoke(merge, counts, new Object[]{"a", 1, sum}).result);

        final VirgoException other = assertThrows(VirgoException.class,
            () -> ConcurrentCalls.invoke(poll, new ArrayDeque<>(List.of(1)), new Object[0]));
        assertTrue(other.getMessage().contains("on java.util.ArrayDeque"), other.getMessage());
        assertThrows(VirgoException.class, () -> ConcurrentCalls.invoke(poll, new ConcurrentLinkedQueue<Integer>()
        {
        }, new Object[0]), "a subclass may do anything in its poll()");
        assertRefused("java.util.Map", "get(Ljava/lang/Object;)Ljava/lang/Object;", "the updates of concurrent collections");
        assertRefused("java.util.Collections", "emptyList()Ljava/util/List;", "the updates of concurrent collections");
    }

    static final class Counted
    {
        volatile int count;
    }

    @Test
    void shouldMakeAVarHandlesAccessModeOnTheVarHandleAndNothingElseOfIt() throws ReflectiveOperationException
    {
        final VarHandle count = MethodHandles.lookup().findVarHandle(Counted.class, "count", int.class);
        final Counted counted = new Counted();
        final ConcurrentCalls.Call getAndAdd = ConcurrentCalls.resolve("java.lang.invoke.VarHandle",
            "getAndAdd(Ldev/virgo/runtime/origin/ConcurrentCallsTest$Counted;I)I");
        assertEquals(0, ConcurrentCalls.invoke(getAndAdd, count, new Object[]{counted, 5}).result);
        final ConcurrentCalls.Call compareAndSet = ConcurrentCalls.resolve("java.lang.invoke.VarHandle",
            "compareAndSet(Ldev/virgo/runtime/origin/ConcurrentCallsTest$Counted;II)Z");
        assertEquals(Boolean.TRUE, ConcurrentCalls.invoke(compareAndSet, count, new Object[]{counted, 5, 7}).result);
        assertEquals(7, counted.count);
        assertInstanceOf(NullPointerException.class,
            ConcurrentCalls.invoke(getAndAdd, count, new Object[]{null, 1}).thrown, "what the access threw is its outcome");

        assertRefused("java.lang.invoke.VarHandle", "toMethodHandle(Ljava/lang/invoke/VarHandle$AccessMode;)" +
            "Ljava/lang/invoke/MethodHandle;", "only a VarHandle's access modes");
        assertThrows(VirgoException.class, () -> ConcurrentCalls.invoke(getAndAdd, new AtomicInteger(),
            new Object[]{counted, 1}), "only on a VarHandle");
        assertThrows(VirgoException.class, () -> ConcurrentCalls.invoke(getAndAdd, count, new Object[]{counted}),
            "with the access mode's arguments");
        assertThrows(VirgoException.class, () -> ConcurrentCalls.invoke(getAndAdd, count, new Object[]{"x", 1}),
            "of its types");
    }

    private static void assertRefused(final String owner, final String method, final String why)
    {
        final VirgoException ex = assertThrows(VirgoException.class, () -> ConcurrentCalls.resolve(owner, method));
        assertTrue(ex.getMessage().contains(why), ex.getMessage());
    }
}
