package dev.virgo.runtime.node;

import dev.virgo.runtime.classes.LambdaSupport;
import dev.virgo.runtime.sharing.ConcurrentTypes;
import dev.virgo.runtime.sharing.SyncSites;
import dev.virgo.samples.sync.ConcurrentSamples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static dev.virgo.runtime.node.TestClassFiles.bytesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The calls an application class a node defines makes on {@code java.util.concurrent} objects (atomics, locks and
 * conditions, latches, barriers, semaphores, phasers) lead, for an object the origin has, to the bound context's
 * {@code invoke}, which the node carries to the origin; for any other object, or on a thread no moved thread's
 * context is bound to, they keep their local meaning.
 */
class ConcurrentSitesTest
{
    private static final long TIMEOUT_MS = 10_000;
    private static final String SYNC_SITES = Type.getInternalName(SyncSites.class);
    private static final String ATOMIC_INTEGER = "java/util/concurrent/atomic/AtomicInteger";
    private static final String LOCK = "java/util/concurrent/locks/Lock";
    private static final String LEGACY = ConcurrentSamples.Legacy.class.getName();

    private final Map<String, byte[]> replaced = new HashMap<>();
    private final ThreadClassLoader image = new ThreadClassLoader("concurrent-test", this::classBytes,
        ConcurrentSitesTest.class.getClassLoader());

    @AfterEach
    void unbind()
    {
        SyncSites.bind(null);
    }

    @Test
    void shouldRewriteEveryCallOnAConcurrentObjectButObjectsOwnMethods()
    {
        final byte[] rewritten = MovedCodeRewriter.rewrite(
            bytesOf(ConcurrentSamples.Calls.class.getName()), ReflectionHierarchy.INSTANCE);
        assertNotNull(rewritten, "Calls was not rewritten");
        final List<String> left = new ArrayList<>();
        final List<String> dynamic = new ArrayList<>();
        for (final MethodNode method : classNode(rewritten).methods)
        {
            for (final AbstractInsnNode insn : method.instructions)
            {
                if (insn instanceof MethodInsnNode)
                {
                    final MethodInsnNode call = (MethodInsnNode)insn;
                    if (call.owner.startsWith("java/util/concurrent/") || "hashCode".equals(call.name))
                    {
                        left.add(call.owner.substring(call.owner.lastIndexOf('/') + 1) + "." + call.name);
                    }
                }
                else if (insn instanceof InvokeDynamicInsnNode &&
                    SYNC_SITES.equals(((InvokeDynamicInsnNode)insn).bsm.getOwner()))
                {
                    final InvokeDynamicInsnNode indy = (InvokeDynamicInsnNode)insn;
                    final Handle direct = (Handle)indy.bsmArgs[0];
                    assertEquals(indy.name, direct.getName());
                    assertEquals("(L" + direct.getOwner() + ";" + direct.getDesc().substring(1), indy.desc,
                        "the call's own stack shape, the receiver first");
                    dynamic.add(direct.getOwner().substring(direct.getOwner().lastIndexOf('/') + 1) + "." +
                        direct.getName() + (direct.isInterface() ? " (interface)" : ""));
                }
                else if (insn instanceof InvokeDynamicInsnNode)
                {
                    for (final Object argument : ((InvokeDynamicInsnNode)insn).bsmArgs)
                    {
                        final boolean concurrent = argument instanceof Handle &&
                            ((Handle)argument).getOwner().startsWith("java/util/concurrent/");
                        if (concurrent)
                        {
                            left.add(((Handle)argument).getName() + " (method reference)");
                        }
                    }
                }
            }
        }
        assertEquals(List.of("Object.hashCode"), left,
            "only Object's own methods stay (javac names Object), method references included");
        assertTrue(dynamic.containsAll(List.of("AtomicInteger.incrementAndGet", "AtomicInteger.toString",
            "Lock.tryLock (interface)", "Condition.await (interface)", "ReentrantLock.lock", "CountDownLatch.await",
            "CyclicBarrier.await", "Semaphore.tryAcquire", "Phaser.arrive", "LongAdder.sum", "DoubleAdder.add")),
            dynamic.toString());
    }

    /** The guard asks the context only for a bound thread; an object the origin does not have stays this node's. */
    @Test
    void shouldKeepTheLocalMeaningUnlessTheThreadIsBoundAndTheObjectShared() throws Throwable
    {
        final Object calls = newCalls();
        final AtomicInteger counter = new AtomicInteger();
        final ReentrantLock lock = new ReentrantLock();
        final CountDownLatch latch = new CountDownLatch(1);
        final RecordingContext context = new RecordingContext();
        context.answer = invocation -> 100;

        assertEquals(1, call(calls, "incrementAndGet", counter), "unbound");
        assertEquals(true, call(calls, "lockUnlock", lock));
        assertFalse(lock.isLocked());

        SyncSites.bind(context);
        context.share(new Object(), "another object");
        assertEquals(2, call(calls, "incrementAndGet", counter), "bound, the counter not shared");
        assertEquals(2, counter.get());
        assertEquals(3, call(calls, "incrementInLambda", counter));
        assertEquals(true, call(calls, "lockUnlock", lock));
        final Runnable holding = () -> assertTrue(lock.isHeldByCurrentThread(), "held between lock and unlock");
        call(calls, "lockUnlockThroughInterface", lock, holding);
        assertFalse(lock.isLocked());
        final Thread counting = new Thread(latch::countDown, "counting");
        counting.start();
        assertNull(call(calls, "awaitLatch", latch), "returned once counted down");
        counting.join(TIMEOUT_MS);
        assertEquals(List.of(), context.take());

        context.share(counter, "counter");
        assertEquals(100, call(calls, "incrementAndGet", counter), "bound and shared: the origin's answer");
        assertEquals(3, counter.get(), "the node's copy is not where the call happened");
        assertEquals(100, call(calls, "incrementInLambda", counter), "a lambda's body is the class's own method");
        assertEquals(3, counter.get());
        assertEquals(List.of("invoke counter " + ATOMIC_INTEGER + ".incrementAndGet()I []",
            "invoke counter " + ATOMIC_INTEGER + ".incrementAndGet()I []"), context.take());
    }

    @Test
    void shouldSendEachCallOnASharedAtomicToTheContextAndConvertTheAnswerBack() throws Throwable
    {
        final Object calls = newCalls();
        final AtomicInteger counter = new AtomicInteger();
        final AtomicLong total = new AtomicLong();
        final AtomicBoolean flag = new AtomicBoolean();
        final AtomicReference<Object> reference = new AtomicReference<>();
        final DoubleAdder doubles = new DoubleAdder();
        final LongAdder longs = new LongAdder();
        final RecordingContext context = new RecordingContext();
        for (final Object shared : List.of(counter, total, flag, reference, doubles, longs))
        {
            context.share(shared, shared.getClass().getSimpleName());
        }
        final Object theOrigins = new Object();
        final Map<String, Object> answers = Map.of("incrementAndGet", 7, "addAndGet", 1L << 40,
            "compareAndSet", true, "getAndSet", theOrigins);
        context.answer = invocation -> "sum".equals(invocation.name) ?
            invocation.target == longs ? (Object)9L : (Object)2.5 : answers.get(invocation.name);
        SyncSites.bind(context);

        assertEquals(7, call(calls, "incrementAndGet", counter));
        assertInvoked(context, counter, ATOMIC_INTEGER + ".incrementAndGet()I");
        assertEquals(1L << 40, call(calls, "addAndGet", total, 3L));
        assertInvoked(context, total, "java/util/concurrent/atomic/AtomicLong.addAndGet(J)J", 3L);
        assertEquals(true, call(calls, "compareAndSet", flag, false, true));
        assertInvoked(context, flag, "java/util/concurrent/atomic/AtomicBoolean.compareAndSet(ZZ)Z", false, true);
        assertSame(theOrigins, call(calls, "getAndSet", reference, "mine"));
        assertInvoked(context, reference,
            "java/util/concurrent/atomic/AtomicReference.getAndSet(Ljava/lang/Object;)Ljava/lang/Object;", "mine");
        assertEquals(2.5, call(calls, "addThenSum", doubles, 1.5));
        assertInvoked(context, doubles, "java/util/concurrent/atomic/DoubleAdder.add(D)V", 1.5);
        assertInvoked(context, doubles, "java/util/concurrent/atomic/DoubleAdder.sum()D");
        assertEquals(9L, call(calls, "incrementThenSum", longs));
        assertInvoked(context, longs, "java/util/concurrent/atomic/LongAdder.increment()V");
        assertInvoked(context, longs, "java/util/concurrent/atomic/LongAdder.sum()J");
        assertEquals(List.of(), context.invocations);
        assertEquals(0, counter.get() + total.get() + longs.sum() + doubles.sum(), "the node's copies are untouched");
        assertFalse(flag.get());
        assertNull(reference.get());
    }

    /**
     * A collection's call names Queue, Map, List...: the receiver's class decides. An update of a shared concurrent
     * collection goes to the context; a read of it, an update of any other collection, or of an unshared one, stays.
     */
    @Test
    void shouldSendTheUpdatesOfASharedConcurrentCollectionToTheContextWhateverTypeTheCallNames() throws Throwable
    {
        final Class<?> type = image.loadClass(ConcurrentSamples.CollectionCalls.class.getName());
        final Object calls = type.getConstructor().newInstance();
        final ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>(List.of(1, 2));
        final LinkedBlockingQueue<Integer> blocking = new LinkedBlockingQueue<>(List.of(3));
        final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>(Map.of("a", 1));
        final ArrayList<Integer> list = new ArrayList<>();
        final ConcurrentLinkedQueue<Integer> unshared = new ConcurrentLinkedQueue<>(List.of(4));
        final RecordingContext context = new RecordingContext();
        for (final Object shared : List.of(queue, blocking, counts, list))
        {
            context.share(shared, shared.getClass().getSimpleName());
        }
        context.answer = invocation -> "merge".equals(invocation.name) ? 7 : (Object)9;
        SyncSites.bind(context);

        assertEquals(9, call(calls, "poll", queue));
        assertInvoked(context, queue, "java/util/Queue.poll()Ljava/lang/Object;");
        call(calls, "put", blocking, 5);
        assertInvoked(context, blocking, "java/util/concurrent/BlockingQueue.put(Ljava/lang/Object;)V", 5);
        assertEquals(7, call(calls, "merge", counts, "a"));
        final RecordingContext.Invocation merge = context.invocations.remove(0);
        assertEquals("java/util/Map.merge(Ljava/lang/Object;Ljava/lang/Object;Ljava/util/function/BiFunction;)" +
            "Ljava/lang/Object;", merge.owner + "." + merge.name + merge.descriptor);
        assertEquals(3, ((java.util.function.BiFunction<Integer, Integer, Integer>)merge.args.get(2)).apply(1, 2),
            "the remapping function travels as itself");
        assertEquals(9, call(calls, "takeThroughMethodReference", blocking));
        assertInvoked(context, blocking, "java/util/concurrent/BlockingQueue.take()Ljava/lang/Object;");
        assertEquals(List.of(), context.invocations);

        assertEquals(2, call(calls, "size", queue), "a read answers from the node's copy");
        assertEquals(true, call(calls, "add", list, 6), "a shared list of another class is updated here");
        assertEquals(4, call(calls, "poll", unshared), "an unshared queue is this node's");
        assertEquals(List.of(), context.invocations);
        assertEquals(List.of(6), list);
        assertEquals(List.of(1, 2), new ArrayList<>(queue), "the node's copy is not where the updates happened");
        assertEquals(List.of(3), new ArrayList<>(blocking));
        assertEquals(Map.of("a", 1), counts);
    }

    /** The owner is the one the call names: the class, or the interface a program holds the lock through. */
    @Test
    void shouldSendLockAndConditionCallsThroughTheClassOrTheInterfaceTheyName() throws Throwable
    {
        final Object calls = newCalls();
        final ReentrantLock lock = new ReentrantLock();
        final Condition condition = lock.newCondition();
        final ReentrantReadWriteLock readWrite = new ReentrantReadWriteLock();
        final Semaphore semaphore = new Semaphore(0);
        final Phaser phaser = new Phaser();
        final RecordingContext context = new RecordingContext();
        context.share(lock, "lock");
        context.share(condition, "condition");
        context.share(readWrite, "readWrite");
        context.share(semaphore, "semaphore");
        context.share(phaser, "phaser");
        final Map<String, Object> answers = Map.of("isHeldByCurrentThread", true, "tryLock", true,
            "readLock", readWrite.readLock(), "newCondition", condition, "await", true, "tryAcquire", true,
            "arrive", 4);
        context.answer = invocation -> answers.get(invocation.name);
        SyncSites.bind(context);

        assertEquals(true, call(calls, "lockUnlock", lock));
        assertInvoked(context, lock, "java/util/concurrent/locks/ReentrantLock.lock()V");
        assertInvoked(context, lock, "java/util/concurrent/locks/ReentrantLock.isHeldByCurrentThread()Z");
        assertInvoked(context, lock, "java/util/concurrent/locks/ReentrantLock.unlock()V");
        context.take();
        call(calls, "lockUnlockThroughInterface", lock, (Runnable)() -> context.events.add("inside"));
        assertInvoked(context, lock, LOCK + ".lock()V");
        assertInvoked(context, lock, LOCK + ".unlock()V");
        assertEquals(List.of(), context.invocations);
        assertEquals(List.of("invoke lock " + LOCK + ".lock()V []", "inside", "invoke lock " + LOCK + ".unlock()V []"),
            context.take());
        assertFalse(lock.isLocked(), "the node's copy was never locked");

        assertEquals(true, call(calls, "tryLock", lock));
        assertInvoked(context, lock, LOCK + ".tryLock(JLjava/util/concurrent/TimeUnit;)Z", 5L, TimeUnit.SECONDS);
        assertSame(readWrite.readLock(), call(calls, "readLock", readWrite));
        assertInvoked(context, readWrite,
            "java/util/concurrent/locks/ReadWriteLock.readLock()Ljava/util/concurrent/locks/Lock;");
        assertSame(condition, call(calls, "newCondition", lock));
        assertInvoked(context, lock, LOCK + ".newCondition()Ljava/util/concurrent/locks/Condition;");
        call(calls, "signalAll", condition);
        assertInvoked(context, condition, "java/util/concurrent/locks/Condition.signalAll()V");
        assertEquals(true, callWithin(calls, "await", lock, condition));
        assertInvoked(context, lock, LOCK + ".lock()V");
        assertInvoked(context, condition,
            "java/util/concurrent/locks/Condition.await(JLjava/util/concurrent/TimeUnit;)Z", 10L, TimeUnit.SECONDS);
        assertInvoked(context, lock, LOCK + ".unlock()V");
        assertEquals(true, call(calls, "tryAcquire", semaphore, 2));
        assertInvoked(context, semaphore, "java/util/concurrent/Semaphore.tryAcquire(I)Z", 2);
        assertEquals(4, call(calls, "arrive", phaser));
        assertInvoked(context, phaser, "java/util/concurrent/Phaser.arrive()I");
        assertEquals(List.of(), context.invocations);
    }

    /** {@code counter::incrementAndGet} reaches the context like {@code counter.incrementAndGet()}. */
    @Test
    void shouldSendACallThroughAMethodReferenceToTheContext() throws Throwable
    {
        final Object calls = newCalls();
        final Object counting = image.loadClass(ConcurrentSamples.Counter.class.getName()).getConstructor()
            .newInstance();
        final AtomicInteger counter = new AtomicInteger();
        final AtomicLong total = new AtomicLong();
        final ReentrantLock lock = new ReentrantLock();
        assertEquals(1, call(calls, "incrementThroughReference", counter), "unbound thread: local");
        assertEquals(2, call(calls, "incrementThroughUnboundReference", counter));
        call(calls, "unlockThroughReference", lock);
        assertFalse(lock.isLocked());
        assertEquals(5L, call(counting, "addThroughReference", total, 5L));

        final RecordingContext context = new RecordingContext();
        context.share(counter, "counter");
        context.share(total, "total");
        context.share(lock, "lock");
        context.answer = invocation -> "addAndGet".equals(invocation.name) ? (Object)70L : (Object)7;
        SyncSites.bind(context);
        assertEquals(7, call(calls, "incrementThroughReference", counter));
        assertInvoked(context, counter, ATOMIC_INTEGER + ".incrementAndGet()I");
        assertEquals(7, call(calls, "incrementThroughUnboundReference", counter));
        assertInvoked(context, counter, ATOMIC_INTEGER + ".incrementAndGet()I");
        context.answer = invocation -> null;
        call(calls, "unlockThroughReference", lock);
        assertInvoked(context, lock, LOCK + ".lock()V");
        assertInvoked(context, lock, LOCK + ".unlock()V");
        context.answer = invocation -> 70L;
        assertEquals(70L, call(counting, "addThroughReference", total, 5L));
        assertInvoked(context, total, "java/util/concurrent/atomic/AtomicLong.addAndGet(J)J", 5L);
        assertEquals(List.of(), context.invocations);
        assertEquals(2, counter.get());
        assertEquals(5L, total.get());
    }

    /**
     * A serialized method reference names the node's bridge: rebuilt at the origin (no bridge there) it calls the
     * method itself. One serialized at the origin (naming the method) and rebuilt on a node calls the node's bridge.
     */
    @Test
    void shouldRebuildASerializedMethodReferenceToAConcurrentMethodOnEitherSide() throws Throwable
    {
        final Object calls = newCalls();
        final CountDownLatch latch = new CountDownLatch(3);
        final Runnable onNode = (Runnable)call(calls, "countDownLater", latch);
        final Method writeReplace = onNode.getClass().getDeclaredMethod("writeReplace");
        writeReplace.setAccessible(true);
        final SerializedLambda serialized = (SerializedLambda)writeReplace.invoke(onNode);
        assertEquals(ConcurrentTypes.BRIDGE_PREFIX + "countDown", serialized.getImplMethodName());

        final Runnable atOrigin = (Runnable)LambdaSupport.deserialize(
            MethodHandles.privateLookupIn(ConcurrentSamples.Calls.class, MethodHandles.lookup()), serialized);
        atOrigin.run();
        assertEquals(2, latch.getCount(), "the origin's class has no bridge: the method itself");

        final SerializedLambda fromOrigin = new SerializedLambda(ConcurrentSamples.Calls.class,
            "java/lang/Runnable", "run", "()V", MethodHandleInfo.REF_invokeVirtual,
            "java/util/concurrent/CountDownLatch", "countDown", "()V", "()V", new Object[] {latch});
        final Method deserialize = calls.getClass().getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
        deserialize.setAccessible(true);
        final Runnable rebuiltOnNode = (Runnable)deserialize.invoke(null, fromOrigin);
        final RecordingContext context = new RecordingContext();
        context.share(latch, "latch");
        SyncSites.bind(context);
        onNode.run();
        rebuiltOnNode.run();
        assertInvoked(context, latch, "java/util/concurrent/CountDownLatch.countDown()V");
        assertInvoked(context, latch, "java/util/concurrent/CountDownLatch.countDown()V");
        assertEquals(2, latch.getCount());
    }

    /** What the origin threw reaches the application's own catch block, the same exception. */
    @Test
    void shouldThrowWhatTheOriginThrewIntoTheApplicationsCatchBlock() throws Throwable
    {
        final Object calls = newCalls();
        final CountDownLatch latch = new CountDownLatch(1);
        final CyclicBarrier barrier = new CyclicBarrier(2);
        final ReentrantLock lock = new ReentrantLock();
        final RecordingContext context = new RecordingContext();
        context.share(latch, "latch");
        context.share(barrier, "barrier");
        context.share(lock, "lock");
        final InterruptedException interrupted = new InterruptedException("the shadow was interrupted");
        final BrokenBarrierException broken = new BrokenBarrierException();
        final IllegalMonitorStateException notOwner = new IllegalMonitorStateException("not the owner");
        context.answer = invocation ->
        {
            switch (invocation.owner + "." + invocation.name)
            {
                case "java/util/concurrent/CountDownLatch.await": throw interrupted;
                case "java/util/concurrent/CyclicBarrier.await": throw broken;
                case "java/util/concurrent/locks/ReentrantLock.isHeldByCurrentThread": return true;
                case "java/util/concurrent/locks/ReentrantLock.unlock": throw notOwner;
                default: return null;
            }
        };
        SyncSites.bind(context);

        assertSame(interrupted, callWithin(calls, "awaitLatch", latch));
        assertInvoked(context, latch, "java/util/concurrent/CountDownLatch.await()V");
        assertSame(broken, callWithin(calls, "awaitBarrier", barrier));
        assertInvoked(context, barrier, "java/util/concurrent/CyclicBarrier.await()I");
        assertSame(notOwner, assertThrows(IllegalMonitorStateException.class, () -> call(calls, "lockUnlock", lock)));
        assertInvoked(context, lock, "java/util/concurrent/locks/ReentrantLock.lock()V");
        assertInvoked(context, lock, "java/util/concurrent/locks/ReentrantLock.isHeldByCurrentThread()Z");
        assertInvoked(context, lock, "java/util/concurrent/locks/ReentrantLock.unlock()V");
    }

    /** {@code toString} describes the state, the origin's; {@code hashCode} is the node's copy's identity. */
    @Test
    void shouldSendToStringButNotHashCodeToTheContext() throws Throwable
    {
        final Object calls = newCalls();
        final AtomicInteger counter = new AtomicInteger(3);
        final RecordingContext context = new RecordingContext();
        context.share(counter, "counter");
        context.answer = invocation -> "42";
        SyncSites.bind(context);

        assertEquals("42", call(calls, "describe", counter));
        assertInvoked(context, counter, ATOMIC_INTEGER + ".toString()Ljava/lang/String;");
        context.take();
        assertEquals(counter.hashCode(), call(calls, "hash", counter));
        assertEquals(List.of(), context.take());
    }

    /**
     * A class file before Java 7 cannot hold an {@code invokedynamic}: its calls stay local, and the first look at the
     * class says so, for the node to warn once for the class.
     */
    @Test
    void shouldLeaveTheCallsOfAClassFileBeforeJava7LocalAndSaySo() throws Throwable
    {
        replaced.put(LEGACY, withVersion(bytesOf(LEGACY), Opcodes.V1_6));
        final SiteSurvey survey = SiteSurvey.of(new ClassReader(replaced.get(LEGACY)), ReflectionHierarchy.INSTANCE);
        assertTrue(survey.leavesConcurrentCallsLocal());
        assertFalse(SiteSurvey.of(new ClassReader(bytesOf(LEGACY)), ReflectionHierarchy.INSTANCE)
            .leavesConcurrentCallsLocal(), "the class as javac wrote it takes invokedynamic");
        assertNull(MovedCodeRewriter.rewrite(replaced.get(LEGACY), ReflectionHierarchy.INSTANCE));
        final byte[] oldList = withVersion(bytesOf(ConcurrentSamples.LegacyList.class.getName()), Opcodes.V1_6);
        assertFalse(SiteSurvey.of(new ClassReader(oldList), ReflectionHierarchy.INSTANCE).leavesConcurrentCallsLocal(),
            "no warning for an old class's List.add: it names no java.util.concurrent type");

        final Object legacy = image.loadClass(LEGACY).getConstructor().newInstance();
        final AtomicInteger counter = new AtomicInteger();
        final RecordingContext context = new RecordingContext();
        context.share(counter, "counter");
        SyncSites.bind(context);
        assertEquals(1, call(legacy, "incrementAndGet", counter));
        assertEquals(List.of(), context.take());
    }

    /** The first call the context has not been asked about yet was {@code owner.nameDescriptor} on target. */
    private static void assertInvoked(
        final RecordingContext context, final Object target, final String method, final Object... args)
    {
        assertFalse(context.invocations.isEmpty(), "no call of " + method);
        final RecordingContext.Invocation invocation = context.invocations.remove(0);
        assertEquals(method, invocation.owner + "." + invocation.name + invocation.descriptor);
        assertSame(target, invocation.target, method);
        assertEquals(List.of(args), invocation.args, method);
    }

    /** The class file with another version, without the frames or the nest a Java 6 compiler did not write. */
    private static byte[] withVersion(final byte[] classFile, final int version)
    {
        final ClassWriter writer = new ClassWriter(0);
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, writer)
        {
            @Override
            public void visit(
                final int ignored, final int access, final String name, final String signature,
                final String superName, final String[] interfaces)
            {
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public void visitNestHost(final String nestHost)
            {
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    private Object newCalls() throws ReflectiveOperationException
    {
        final Class<?> type = image.loadClass(ConcurrentSamples.Calls.class.getName());
        assertTrue(type != ConcurrentSamples.Calls.class, "defined by the node's loader, rewritten");
        return type.getConstructor().newInstance();
    }

    private byte[] classBytes(final String className)
    {
        final byte[] bytes = replaced.get(className);
        return null != bytes ? bytes : bytesOf(className);
    }

    private static ClassNode classNode(final byte[] classFile)
    {
        final ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, 0);
        return node;
    }

    /**
     * {@link #call}, interrupting this thread if it has not returned within {@link #TIMEOUT_MS}: a call that should
     * have gone to the context but waits here instead fails rather than hangs.
     */
    private static Object callWithin(final Object target, final String name, final Object... args) throws Throwable
    {
        final Thread caller = Thread.currentThread();
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                Thread.sleep(TIMEOUT_MS);
                caller.interrupt();
            }
            catch (final InterruptedException ex)
            {
                // the call returned in time
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try
        {
            return call(target, name, args);
        }
        finally
        {
            watchdog.interrupt();
            watchdog.join(TIMEOUT_MS);
            Thread.interrupted();
        }
    }

    /** Calls the public method of that name and arity, throwing what it throws. */
    private static Object call(final Object target, final String name, final Object... args) throws Throwable
    {
        for (final Method method : target.getClass().getMethods())
        {
            if (method.getName().equals(name) && method.getParameterCount() == args.length &&
                !Modifier.isStatic(method.getModifiers()))
            {
                try
                {
                    return method.invoke(target, args);
                }
                catch (final InvocationTargetException ex)
                {
                    throw ex.getCause();
                }
            }
        }
        throw new NoSuchMethodError(target.getClass().getName() + "." + name);
    }
}
