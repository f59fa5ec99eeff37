package dev.virgo.runtime.node;

import dev.virgo.runtime.sharing.SyncSites;
import dev.virgo.samples.sync.SyncSamples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import static dev.virgo.runtime.node.TestClassFiles.bytesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The synchronization sites of the classes a node defines lead to {@link SyncSites}: monitors (blocks and
 * {@code synchronized} methods), {@code wait}/{@code notify}/{@code notifyAll} and volatile fields. Loaded through a
 * node's class loader with the verifier on, run on several threads with no moved thread's context bound, they keep
 * their Java meaning; with a context bound, each site on a shared object reaches it.
 */
class SyncSiteRewriterTest
{
    private static final long TIMEOUT_MS = 10_000;
    private static final String SYNC_SITES = Type.getInternalName(SyncSites.class);
    private static final Set<String> OBJECT_MONITOR_METHODS =
        Set.of("wait()V", "wait(J)V", "wait(JI)V", "notify()V", "notifyAll()V");
    private static final String SAMPLES = "dev.virgo.samples.sync.";
    private static final String EARLY_WRITE = SAMPLES + "EarlyWrite";

    private final Map<String, byte[]> replaced = new HashMap<>();
    private final ThreadClassLoader image = new ThreadClassLoader("sync-test", this::classBytes,
        SyncSiteRewriterTest.class.getClassLoader());

    @AfterEach
    void unbind()
    {
        SyncSites.bind(null);
    }

    /**
     * A moved thread that makes a thread hands it its context (it may synchronize on the shared objects too), and the
     * context is told, since with a second thread it can no longer hold its exchange order through a monitor's wait.
     */
    @Test
    void shouldTellTheContextWhenABoundThreadMakesAThread() throws InterruptedException
    {
        final RecordingContext context = new RecordingContext();
        SyncSites.bind(context);
        final Thread made = new Thread(() -> { });
        assertEquals(1, context.inherited.get(), "the thread made by a bound thread inherits its context");
        SyncSites.bind(null);
        new Thread(() -> { });
        assertEquals(1, context.inherited.get(), "an unbound thread's threads inherit nothing");
        made.start();
        made.join(TIMEOUT_MS);
    }

    @Test
    void shouldRewriteEverySynchronizationSiteOfTheSamples()
    {
        for (final Class<?> sample : List.of(SyncSamples.Blocks.class, SyncSamples.Shapes.class, SyncSamples.Methods.class,
            SyncSamples.BoundedBuffer.class, SyncSamples.Signal.class, SyncSamples.Flags.class,
            SyncSamples.SubFlags.class, SyncSamples.Legacy.class))
        {
            final byte[] rewritten = MovedCodeRewriter.rewrite(bytesOf(sample.getName()), ReflectionHierarchy.INSTANCE);
            assertNotNull(rewritten, sample.getSimpleName() + " was not rewritten");
            assertEverySiteRewritten(rewritten);
        }
    }

    @Test
    void shouldLeaveTheJdksVolatileFieldsAlone() throws Throwable
    {
        assertNull(MovedCodeRewriter.rewrite(bytesOf(SyncSamples.Filtered.class.getName()),
            ReflectionHierarchy.INSTANCE), "FilterInputStream.in is the JDK's: no reflection could open it");

        final Class<?> type = image.loadClass(SyncSamples.Filtered.class.getName());
        final InputStream first = new ByteArrayInputStream(new byte[] {1});
        final InputStream second = new ByteArrayInputStream(new byte[] {2});
        final Object filtered = type.getConstructor(InputStream.class).newInstance(first);
        assertSame(first, call(filtered, "inner"));
        call(filtered, "replace", second);
        assertSame(second, call(filtered, "inner"));
        assertEquals(2, ((InputStream)filtered).read());
    }

    @Test
    void shouldHoldEveryKindOfMonitorAgainstAnotherThread() throws Throwable
    {
        final Object blocks = newSample(SyncSamples.Blocks.class);
        final Object lock = call(blocks, "lock");
        final Object methods = newSample(SyncSamples.Methods.class);
        final Class<?> blocksType = blocks.getClass();
        final Class<?> methodsType = methods.getClass();

        assertExcludes("synchronized (lock)", lock, inside -> call(blocks, "onLock", inside));
        assertExcludes("synchronized (this)", blocks, inside -> call(blocks, "onThis", inside));
        assertExcludes("synchronized (Blocks.class)", blocksType, inside -> call(blocksType, "onClass", inside));
        assertExcludes("nested on lock, this, lock", lock, inside -> call(blocks, "nested", inside));
        assertExcludes("nested on lock, this, lock", blocks, inside -> call(blocks, "nested", inside));
        assertExcludes("synchronized method", methods, inside -> call(methods, "run", inside));
        assertExcludes("re-entered synchronized method", methods, inside -> call(methods, "reenter", inside));
        assertExcludes("static synchronized method", methodsType, inside -> call(methodsType, "runStatic", inside));
        assertSame(methods, call(methods, "self"));
        assertEquals(2.5, call(methodsType, "half", 5.0));
    }

    @Test
    void shouldKeepACountExactUnderContention() throws Throwable
    {
        final Object blocks = newSample(SyncSamples.Blocks.class);
        final Object methods = newSample(SyncSamples.Methods.class);
        final int threads = 4;
        final int times = 5_000;
        final CountDownLatch allStarted = new CountDownLatch(threads);
        final List<Runner> runners = new ArrayList<>();
        for (int i = 0; i < threads; i++)
        {
            runners.add(Runner.start("counter-" + i, () ->
            {
                allStarted.countDown();
                assertTrue(allStarted.await(TIMEOUT_MS, TimeUnit.MILLISECONDS), "all counters running at once");
                for (int j = 0; j < times; j++)
                {
                    call(blocks, "increment", 1);
                    call(methods, "increment", 1);
                    call(methods.getClass(), "incrementStatic", 1);
                }
                return null;
            }));
        }
        for (final Runner runner : runners)
        {
            runner.join();
        }
        assertEquals(threads * times, call(blocks, "count"));
        assertEquals(threads * times + 1, call(methods, "increment", 1));
        assertEquals(threads * times + 1L, call(methods.getClass(), "incrementStatic", 1));
        assertEquals((threads * times / 3 + 1) * 3, call(blocks, "countBy", 3), "counted to the next multiple of 3");
    }

    @Test
    void shouldKeepTheMeaningOfEveryShapeOfBlock() throws Throwable
    {
        final SyncSamples.Shapes expected = new SyncSamples.Shapes();
        final Object shapes = newSample(SyncSamples.Shapes.class);
        assertEquals(expected.exits(20), call(shapes, "exits", 20));
        assertEquals(expected.exits(9), call(shapes, "exits", 9));
        assertEquals(expected.withFinally(false), call(shapes, "withFinally", false));
        assertEquals("failed released", expected.withFinally(true));
        assertEquals("failed released", call(shapes, "withFinally", true));
        assertEquals(expected.inFinally(), call(shapes, "inFinally"));
        for (int k = 0; k < 3; k++)
        {
            assertEquals(expected.inSwitch(k), call(shapes, "inSwitch", k));
        }
        assertEquals(expected.inLambda(), call(shapes, "inLambda"));
        assertEquals(expected.aroundTryWithResources(), call(shapes, "aroundTryWithResources"));
        assertEquals(SyncSamples.Shapes.initialized(), call(shapes.getClass(), "initialized"));
        assertEquals(expected.log(), call(shapes, "log"));
    }

    @Test
    void shouldReleaseTheMonitorWhenTheBodyThrows() throws Throwable
    {
        final Object blocks = newSample(SyncSamples.Blocks.class);
        final Object lock = call(blocks, "lock");
        final Object methods = newSample(SyncSamples.Methods.class);
        final IllegalStateException boom = new IllegalStateException("boom");
        final Runnable throwing = () ->
        {
            throw boom;
        };

        assertSame(boom, assertThrows(IllegalStateException.class, () -> call(methods, "run", throwing)));
        assertFalse(Thread.holdsLock(methods));
        assertSame(boom, assertThrows(IllegalStateException.class,
            () -> call(methods.getClass(), "runStatic", throwing)));
        assertFalse(Thread.holdsLock(methods.getClass()));
        assertSame(boom, assertThrows(IllegalStateException.class, () -> call(blocks, "nested", throwing)));
        assertFalse(Thread.holdsLock(lock));
        assertFalse(Thread.holdsLock(blocks));
        assertEquals("caught boom holding the monitor", call(methods, "catching", throwing),
            "the method's own handler catches first, inside the monitor");
        assertEquals("ran", call(methods, "catching", (Runnable)() -> assertTrue(Thread.holdsLock(methods))));
        assertFalse(Thread.holdsLock(methods));

        final Runner other = Runner.start("other", () -> call(methods, "self"));
        assertSame(methods, other.join(), "another thread takes the monitor after the exceptions");
    }

    @Test
    void shouldPassItemsThroughABoundedBufferWithWaitAndNotifyAll() throws Throwable
    {
        final Object buffer = image.loadClass(SyncSamples.BoundedBuffer.class.getName())
            .getConstructor(int.class).newInstance(2);

        final Runner consumer = Runner.start("consumer", () -> call(buffer, "take"));
        awaitState(consumer.thread, Thread.State.WAITING);
        call(buffer, "put", "first");
        assertEquals("first", consumer.join(), "take() waited on the empty buffer until put() notified it");

        final Runner producer = Runner.start("producer", () ->
        {
            for (int i = 0; i < 3; i++)
            {
                call(buffer, "put", i);
            }
            return null;
        });
        awaitState(producer.thread, Thread.State.WAITING);
        assertEquals(0, call(buffer, "take"), "put() waited on the full buffer until take() notified it");
        producer.join();
        assertEquals(1, call(buffer, "take"));
        assertEquals(2, call(buffer, "take"));

        final int items = 20_000;
        final Thread bulkProducer = new Thread((Runnable)call(buffer, "producer", items), "bulk-producer");
        bulkProducer.start();
        for (int i = 0; i < items; i++)
        {
            assertEquals(i, call(buffer, "take"));
        }
        bulkProducer.join(TIMEOUT_MS);
        assertFalse(bulkProducer.isAlive());
    }

    @Test
    void shouldWakeAWaiterWithNotifySuperNotifyAndAMethodReference() throws Throwable
    {
        for (final String signal : List.of("signal", "signalThroughSuper", "signalThroughReference"))
        {
            final Object waitedOn = newSample(SyncSamples.Signal.class);
            final Runner waiter = Runner.start("waiter", () -> call(waitedOn, "await"));
            awaitState(waiter.thread, Thread.State.WAITING);
            call(waitedOn, signal);
            waiter.join();
        }

        final Object interrupted = newSample(SyncSamples.Signal.class);
        final Runner waiter = Runner.start("interrupted-waiter", () -> call(interrupted, "await"));
        awaitState(waiter.thread, Thread.State.WAITING);
        waiter.thread.interrupt();
        assertThrows(InterruptedException.class, waiter::join);
    }

    @Test
    void shouldWaitTheWholeTimeoutWhenNobodyNotifies() throws Throwable
    {
        final Object signal = newSample(SyncSamples.Signal.class);
        final long waitedMs = (long)call(signal, "waitMs", 50L);
        assertTrue(waitedMs >= 50 && waitedMs < TIMEOUT_MS, "waited " + waitedMs + " ms");
        call(signal, "waitWithNanos", 1L, 999_999);
        assertThrows(IllegalArgumentException.class, () -> call(signal, "waitWithNanos", 1L, 1_000_000));
        assertThrows(IllegalArgumentException.class, () -> call(signal, "waitWithNanos", -1L, 0));
        assertThrows(IllegalMonitorStateException.class, () -> call(signal, "waitWithoutTheMonitor"));
    }

    @Test
    void shouldPublishEveryKindOfVolatileFieldToAnotherThread() throws Throwable
    {
        final SyncSamples.Flags expected = new SyncSamples.Flags();
        expected.publish(7);
        final Object flags = newSample(SyncSamples.Flags.class);

        final Runner reader = Runner.start("reader", () -> call(flags, "awaitPublished", TIMEOUT_MS));
        final Runner writer = Runner.start("writer", () -> call(flags, "publish", 7));
        writer.join();
        assertEquals(expected.describe(), reader.join());
        assertEquals(expected.compound(), call(flags, "compound"));
        assertEquals(expected.compound(), call(flags, "compound"));
        assertEquals(1, flags.getClass().getField("publications").get(null));
    }

    @Test
    void shouldReadAndWriteAnInheritedVolatileFieldThroughTheSubclass() throws Throwable
    {
        final Object flags = newSample(SyncSamples.SubFlags.class);
        call(flags, "publish", 3);
        assertEquals(60_000_000_000L, call(flags, "doubleBigNumber"));
        assertEquals(1, call(flags.getClass(), "publicationsThroughSubclass"));
    }

    /**
     * A node defines a moved thread's classes in a class loader of its own: once the thread is gone, that loader and
     * its classes must be collectable, whatever volatile fields SyncSites looked up on the way.
     */
    @Test
    void shouldLetTheClassesOfAFinishedImageBeCollectedAfterTheirVolatileFieldsWereUsed() throws Throwable
    {
        final WeakReference<Class<?>> flagsType = useVolatileFieldsInAnImageOfTheirOwn();
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (null != flagsType.get() && System.nanoTime() < deadlineNs)
        {
            System.gc();
            LockSupport.parkNanos(10_000_000);
        }
        assertNull(flagsType.get(), "the image's Flags class is still reachable after " + TIMEOUT_MS + " ms of GCs");
    }

    private static WeakReference<Class<?>> useVolatileFieldsInAnImageOfTheirOwn() throws Throwable
    {
        final ThreadClassLoader ownImage = new ThreadClassLoader("collectable", TestClassFiles::bytesOf,
            SyncSiteRewriterTest.class.getClassLoader());
        final Object flags = ownImage.loadClass(SyncSamples.SubFlags.class.getName()).getConstructor().newInstance();
        call(flags, "publish", 1);
        assertEquals(20_000_000_000L, call(flags, "doubleBigNumber"));
        return new WeakReference<>(flags.getClass().getSuperclass());
    }

    /** The context a moved thread binds sees each site on a shared object, and only those. */
    @Test
    void shouldSendEverySiteOnASharedObjectToTheBoundContext() throws Throwable
    {
        final Object blocks = newSample(SyncSamples.Blocks.class);
        final Object methods = newSample(SyncSamples.Methods.class);
        final Object signal = newSample(SyncSamples.Signal.class);
        final Object flags = newSample(SyncSamples.SubFlags.class);
        final RecordingContext context = new RecordingContext();
        context.share(call(blocks, "lock"), "lock");
        context.share(blocks, "blocks");
        context.share(methods.getClass(), "Methods.class");
        context.share(signal, "signal");
        context.share(flags, "flags");
        context.share(flags.getClass().getSuperclass(), "Flags.class");
        call(flags, "publish", 2);
        SyncSites.bind(context);

        call(blocks, "nested", (Runnable)() -> context.events.add("inside"));
        assertEquals(List.of("enter lock", "enter blocks", "inside", "exit blocks", "exit lock"), context.take(),
            "re-entering lock, already held at the origin, stays here");

        call(blocks, "countBy", 5);
        assertEquals(List.of("enter lock", "exit lock"), context.take(), "entered once, not once per turn");

        call(methods, "run", (Runnable)() -> context.events.add("inside"));
        assertEquals(List.of("inside"), context.take(), "this Methods object is not shared");
        call(methods.getClass(), "runStatic", (Runnable)() -> context.events.add("inside"));
        assertEquals(List.of("enter Methods.class", "inside", "exit Methods.class"), context.take());
        assertThrows(IllegalStateException.class, () -> call(methods.getClass(), "runStatic", (Runnable)() ->
        {
            throw new IllegalStateException("boom");
        }));
        assertEquals(List.of("enter Methods.class", "exit Methods.class"), context.take());

        call(signal, "signal");
        call(signal, "signalThroughReference");
        call(signal, "waitWithNanos", 2L, 1);
        assertEquals(List.of("enter signal", "notify signal", "exit signal",
            "enter signal", "notifyAll signal", "exit signal",
            "enter signal", "await signal 3 ms", "exit signal"), context.take());

        assertEquals(40_000_000_000L, call(flags, "doubleBigNumber"));
        assertEquals(List.of("read flags SubFlags.bigNumber", "write flags SubFlags.bigNumber",
            "read flags SubFlags.bigNumber"), context.take(), "the owner is the one the instruction names");
        assertEquals(1, call(flags.getClass(), "publicationsThroughSubclass"));
        assertEquals(List.of("read Flags.class Flags.publications"), context.take(), "a static's owner declares it");
    }

    /**
     * When the origin fails to enter or exit one monitor, SyncSites has forgotten that entry: the local monitor is
     * exited, the failure propagates, and every enclosing monitor is exited at the origin once, innermost first.
     */
    @Test
    void shouldExitEveryOtherMonitorOnceWhenTheOriginFailsToEnterOrExitOne() throws Throwable
    {
        final Object blocks = newSample(SyncSamples.Blocks.class);
        final Object lock = call(blocks, "lock");
        final Class<?> methods = newSample(SyncSamples.Methods.class).getClass();
        final RecordingContext context = new RecordingContext();
        context.share(lock, "lock");
        context.share(blocks, "blocks");
        context.share(methods, "Methods.class");
        SyncSites.bind(context);
        final Runnable inside = () -> context.events.add("inside");

        context.failOn = "enter blocks";
        assertEquals("origin failed: enter blocks",
            assertThrows(IllegalStateException.class, () -> call(blocks, "nested", inside)).getMessage());
        assertEquals(List.of("enter lock", "enter blocks", "exit lock"), context.take());
        assertFalse(Thread.holdsLock(lock) || Thread.holdsLock(blocks));

        context.failOn = "enter lock";
        assertThrows(IllegalStateException.class, () -> call(blocks, "catchingInside", inside),
            "the body's own handler does not catch the failure to enter");
        assertEquals(List.of("enter lock"), context.take());
        assertFalse(Thread.holdsLock(lock));

        context.failOn = "exit blocks";
        assertThrows(IllegalStateException.class, () -> call(blocks, "nested", inside));
        assertEquals(List.of("enter lock", "enter blocks", "inside", "exit blocks", "exit lock"), context.take());
        assertFalse(Thread.holdsLock(lock) || Thread.holdsLock(blocks));

        context.failOn = "enter Methods.class";
        assertThrows(IllegalStateException.class, () -> call(methods, "runStatic", inside));
        assertEquals(List.of("enter Methods.class"), context.take());
        context.failOn = "exit Methods.class";
        assertThrows(IllegalStateException.class, () -> call(methods, "runStatic", inside));
        assertEquals(List.of("enter Methods.class", "inside", "exit Methods.class"), context.take());
        assertFalse(Thread.holdsLock(methods));

        context.failOn = null;
        call(blocks, "nested", inside);
        call(methods, "runStatic", inside);
        assertEquals(List.of("enter lock", "enter blocks", "inside", "exit blocks", "exit lock",
            "enter Methods.class", "inside", "exit Methods.class"), context.take(), "nothing was left entered");
    }

    /**
     * HotSpot compiles a method only when C2 can match its monitors (an instruction that may throw while a monitor is
     * held must be covered by a catch-all handler) and C1 can parse its handlers (none may throw to itself from its
     * first block, or be reached by a jump). With {@code -Xcomp} each sample method is compiled before it first runs.
     */
    @Test
    void shouldLeaveEveryRewrittenMethodCompilableByC1AndC2(@TempDir final Path dir) throws Exception
    {
        for (final String compiler : List.of("-XX:TieredStopAtLevel=1", "-XX:-TieredCompilation"))
        {
            final Path output = dir.resolve("compilation" + compiler.replaceAll("\\W", "") + ".log");
            final Process jvm = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Xcomp", "-Xbatch", compiler,
                "-XX:CompileCommand=quiet", "-XX:CompileCommand=compileonly,dev.virgo.samples.sync.*::*",
                "-XX:+PrintCompilation", "-Xlog:monitormismatch=info",
                "-cp", System.getProperty("java.class.path"), CompiledSamples.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            final boolean exited = jvm.waitFor(TIMEOUT_MS * 3, TimeUnit.MILLISECONDS);
            if (!exited)
            {
                jvm.destroyForcibly();
            }
            final List<String> lines = Files.readAllLines(output);
            assertTrue(exited && jvm.exitValue() == 0 && lines.contains("called every sample"),
                compiler + ": " + String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(line -> line.contains("SyncSamples$Blocks::nested")),
                compiler + ": the samples were compiled");
            assertTrue(lines.stream().anyMatch(line -> line.contains("ConcurrentSamples$Calls::lockUnlock")),
                compiler + ": the java.util.concurrent samples were compiled");
            final List<String> refused = lines.stream()
                .filter(line -> (line.contains("SyncSamples") || line.contains("ConcurrentSamples")) &&
                    (line.contains("COMPILE SKIPPED") || line.contains("mismatch")))
                .collect(Collectors.toList());
            assertEquals(List.of(), refused, compiler);
        }
    }

    /** Before the super constructor call {@code this} is uninitialized: only a putfield may write its fields. */
    @Test
    void shouldLeaveAWriteToAFieldOfThisBeforeTheSuperConstructorCall() throws Exception
    {
        replaced.put(EARLY_WRITE, earlyWrite());
        final byte[] rewritten = MovedCodeRewriter.rewrite(replaced.get(EARLY_WRITE), ReflectionHierarchy.INSTANCE);
        assertNotNull(rewritten);
        final MethodNode constructor = method(rewritten, "<init>");
        assertEquals(List.of("putfield", "putVolatile"), fieldWrites(constructor),
            "the write before super() stays, the one after is rewritten");

        final Class<?> type = image.loadClass(EARLY_WRITE);
        assertEquals(42, ((IntSupplier)type.getConstructor(int.class).newInstance(41)).getAsInt());
        assertEquals(1, ((IntSupplier)type.getConstructor(int.class).newInstance(-5)).getAsInt());
    }

    /** A class file from before Java 5 has no stack map frames and cannot load a class constant. */
    @Test
    void shouldRewriteAClassFileFromBeforeJava5() throws Throwable
    {
        final String name = SyncSamples.Legacy.class.getName();
        replaced.put(name, asJava14(bytesOf(name)));
        final byte[] rewritten = MovedCodeRewriter.rewrite(replaced.get(name), ReflectionHierarchy.INSTANCE);
        assertNotNull(rewritten);
        assertEquals(Opcodes.V1_4, new ClassReader(rewritten).readShort(6));
        assertEverySiteRewritten(rewritten);

        final Class<?> type = image.loadClass(name);
        final Object legacy = type.getConstructor().newInstance();
        assertEquals(1, call(type, "call"));
        assertEquals(2, call(type, "call"));
        assertEquals(5L, call(legacy, "add", 5L));
        assertEquals(12L, call(legacy, "addInBlock", 7L));
        final Runner waiter = Runner.start("legacy-waiter", () -> call(legacy, "awaitMs", TIMEOUT_MS));
        awaitState(waiter.thread, Thread.State.TIMED_WAITING);
        call(legacy, "signal");
        assertEquals(true, waiter.join());
    }

    private void assertExcludes(final String kind, final Object monitor, final Sample holding) throws Throwable
    {
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> order = Collections.synchronizedList(new ArrayList<>());
        final Runner first = Runner.start("first", () ->
        {
            holding.call(() ->
            {
                assertTrue(Thread.holdsLock(monitor), kind + ": held inside");
                order.add("first in");
                held.countDown();
                await(release);
                order.add("first out");
            });
            return null;
        });
        await(held);
        final Runner second = Runner.start("second", () ->
        {
            holding.call(() -> order.add("second in"));
            return null;
        });
        awaitState(second.thread, Thread.State.BLOCKED);
        release.countDown();
        first.join();
        second.join();
        assertEquals(List.of("first in", "first out", "second in"), order, kind);
        assertFalse(Thread.holdsLock(monitor));
    }

    /** Every monitor enter and exit pairs with SyncSites; no wait, notify or volatile field instruction is left. */
    private static void assertEverySiteRewritten(final byte[] rewritten)
    {
        final ClassNode type = new ClassNode();
        new ClassReader(rewritten).accept(type, 0);
        for (final MethodNode method : type.methods)
        {
            final String where = type.name + "." + method.name + method.desc;
            final List<AbstractInsnNode> code = instructions(method);
            for (int i = 0; i < code.size(); i++)
            {
                final AbstractInsnNode insn = code.get(i);
                if (insn.getOpcode() == Opcodes.MONITORENTER)
                {
                    assertTrue(isSyncSitesCall(code.get(i + 1), "entered"), where + ": monitorenter without entered");
                }
                else if (insn.getOpcode() == Opcodes.MONITOREXIT && !isSyncSitesCall(code.get(i - 1), "exiting"))
                {
                    assertTrue(isReachedOnlyWhenSyncSitesFailed(method, insn), where + ": monitorexit without exiting");
                }
                else if (insn instanceof MethodInsnNode)
                {
                    final MethodInsnNode call = (MethodInsnNode)insn;
                    assertFalse(OBJECT_MONITOR_METHODS.contains(call.name + call.desc),
                        where + ": " + call.owner + "." + call.name + call.desc + " left");
                }
                else if (insn instanceof InvokeDynamicInsnNode)
                {
                    for (final Object argument : ((InvokeDynamicInsnNode)insn).bsmArgs)
                    {
                        if (argument instanceof Handle)
                        {
                            final Handle handle = (Handle)argument;
                            assertFalse(OBJECT_MONITOR_METHODS.contains(handle.getName() + handle.getDesc()),
                                where + ": method reference " + handle + " left");
                        }
                    }
                }
                else if (insn instanceof FieldInsnNode)
                {
                    final FieldInsnNode access = (FieldInsnNode)insn;
                    assertFalse(isApplicationVolatile(access.owner, access.name),
                        where + ": volatile " + access.owner + "." + access.name + " left");
                }
            }
            if ((method.access & Opcodes.ACC_SYNCHRONIZED) != 0)
            {
                assertSynchronizedMethodPaired(where, method, code);
            }
        }
    }

    /**
     * javac's own handler of a block ({@code astore t; aload m; monitorexit; ...}) exits the local monitor only: it
     * must be reached only from SyncSites' calls (which forget the entry when they fail) and from itself.
     */
    private static boolean isReachedOnlyWhenSyncSitesFailed(final MethodNode method, final AbstractInsnNode exit)
    {
        final List<AbstractInsnNode> all = new ArrayList<>();
        method.instructions.forEach(all::add);
        boolean found = false;
        for (final TryCatchBlockNode block : method.tryCatchBlocks)
        {
            final AbstractInsnNode handlerStart = next(block.handler);
            if (handlerStart.getNext().getNext() != exit && handlerStart.getNext().getNext().getNext() != exit)
            {
                continue;
            }
            found = true;
            final int handler = all.indexOf(block.handler);
            if (all.indexOf(block.start) <= handler && handler < all.indexOf(block.end))
            {
                continue; // javac's handler covers itself, to retry its monitorexit
            }
            for (AbstractInsnNode insn = block.start; insn != block.end; insn = insn.getNext())
            {
                if (insn.getOpcode() >= 0 && !isSyncSitesCall(insn, "entered") && !isSyncSitesCall(insn, "exiting") &&
                    insn.getOpcode() != Opcodes.MONITOREXIT)
                {
                    return false;
                }
            }
        }
        return found;
    }

    /** The method still has its flag (the JVM holds the monitor); SyncSites hears of entry and of every exit. */
    private static void assertSynchronizedMethodPaired(
        final String where, final MethodNode method, final List<AbstractInsnNode> code)
    {
        final int monitorLoaded = code.indexOf(firstCallTo(code, "entered")) - 1;
        assertTrue(monitorLoaded >= 0 && pushesTheMonitor(code.get(monitorLoaded), code.subList(0, monitorLoaded)),
            where + ": does not tell SyncSites it entered first");
        for (int i = 0; i < code.size(); i++)
        {
            final int opcode = code.get(i).getOpcode();
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN)
            {
                assertTrue(isSyncSitesCall(code.get(i - 1), "exiting"), where + ": returns without exiting");
            }
        }
        final TryCatchBlockNode last = method.tryCatchBlocks.get(method.tryCatchBlocks.size() - 1);
        assertNull(last.type, where + ": the last handler catches everything");
        final List<AbstractInsnNode> handler = code.subList(code.indexOf(next(last.handler)), code.size());
        final int exiting = handler.indexOf(firstCallTo(handler, "exiting"));
        assertTrue(exiting > 0 && handler.get(exiting + 1).getOpcode() == Opcodes.ATHROW,
            where + ": the catch-all handler does not exit and rethrow");
    }

    private static boolean pushesTheMonitor(final AbstractInsnNode insn, final List<AbstractInsnNode> before)
    {
        if (insn instanceof VarInsnNode)
        {
            return insn.getOpcode() == Opcodes.ALOAD && ((VarInsnNode)insn).var == 0 && before.isEmpty();
        }
        if (insn instanceof LdcInsnNode)
        {
            return ((LdcInsnNode)insn).cst instanceof Type && before.isEmpty();
        }
        return insn instanceof MethodInsnNode && "forName".equals(((MethodInsnNode)insn).name) && before.size() == 1;
    }

    private static AbstractInsnNode firstCallTo(final List<AbstractInsnNode> code, final String name)
    {
        for (final AbstractInsnNode insn : code)
        {
            if (isSyncSitesCall(insn, name))
            {
                return insn;
            }
        }
        return null;
    }

    private static AbstractInsnNode next(final AbstractInsnNode node)
    {
        AbstractInsnNode insn = node;
        while (insn.getOpcode() < 0)
        {
            insn = insn.getNext();
        }
        return insn;
    }

    private static boolean isSyncSitesCall(final AbstractInsnNode insn, final String name)
    {
        return insn instanceof MethodInsnNode && insn.getOpcode() == Opcodes.INVOKESTATIC &&
            SYNC_SITES.equals(((MethodInsnNode)insn).owner) && name.equals(((MethodInsnNode)insn).name);
    }

    /** The instructions, without labels, line numbers and frames. */
    private static List<AbstractInsnNode> instructions(final MethodNode method)
    {
        final List<AbstractInsnNode> code = new ArrayList<>();
        for (final AbstractInsnNode insn : method.instructions)
        {
            if (insn.getOpcode() >= 0)
            {
                code.add(insn);
            }
        }
        return code;
    }

    private static boolean isApplicationVolatile(final String owner, final String name)
    {
        for (Class<?> type = ReflectionHierarchy.type(owner); null != type; type = type.getSuperclass())
        {
            for (final Field field : type.getDeclaredFields())
            {
                if (field.getName().equals(name))
                {
                    return Modifier.isVolatile(field.getModifiers()) && type.getName().startsWith(SAMPLES);
                }
            }
        }
        return false;
    }

    private static MethodNode method(final byte[] classFile, final String name)
    {
        final ClassNode type = new ClassNode();
        new ClassReader(classFile).accept(type, 0);
        return type.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
    }

    private static List<String> fieldWrites(final MethodNode method)
    {
        final List<String> writes = new ArrayList<>();
        for (final AbstractInsnNode insn : method.instructions)
        {
            if (insn.getOpcode() == Opcodes.PUTFIELD)
            {
                writes.add("putfield");
            }
            else if (isSyncSitesCall(insn, "putVolatile"))
            {
                writes.add("putVolatile");
            }
        }
        return writes;
    }

    /**
     * {@code EarlyWrite(int v)}: writes {@code this.value} before calling {@code super()} (as javac compiles a Java 25
     * constructor prologue), with a branch before it, then increments it after; {@code getAsInt()} reads it.
     */
    private static byte[] earlyWrite()
    {
        final String name = EARLY_WRITE.replace('.', '/');
        final ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object",
            new String[] {"java/util/function/IntSupplier"});
        writer.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_VOLATILE, "value", "I", null, null).visitEnd();

        final MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(I)V", null, null);
        init.visitCode();
        final Label positive = new Label();
        init.visitVarInsn(Opcodes.ILOAD, 1);
        init.visitJumpInsn(Opcodes.IFGE, positive);
        init.visitInsn(Opcodes.ICONST_0);
        init.visitVarInsn(Opcodes.ISTORE, 1);
        init.visitLabel(positive);
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitVarInsn(Opcodes.ILOAD, 1);
        init.visitFieldInsn(Opcodes.PUTFIELD, name, "value", "I");
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitFieldInsn(Opcodes.GETFIELD, name, "value", "I");
        init.visitInsn(Opcodes.ICONST_1);
        init.visitInsn(Opcodes.IADD);
        init.visitFieldInsn(Opcodes.PUTFIELD, name, "value", "I");
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        final MethodVisitor get = writer.visitMethod(Opcodes.ACC_PUBLIC, "getAsInt", "()I", null, null);
        get.visitCode();
        get.visitVarInsn(Opcodes.ALOAD, 0);
        get.visitFieldInsn(Opcodes.GETFIELD, name, "value", "I");
        get.visitInsn(Opcodes.IRETURN);
        get.visitMaxs(0, 0);
        get.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** The class as a Java 1.4 compiler would have written it: version 48, no stack map frames, no nest. */
    private static byte[] asJava14(final byte[] classFile)
    {
        final ClassWriter writer = new ClassWriter(0);
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, writer)
        {
            @Override
            public void visit(
                final int version, final int access, final String name, final String signature,
                final String superName, final String[] interfaces)
            {
                super.visit(Opcodes.V1_4, access, name, signature, superName, interfaces);
            }

            @Override
            public void visitNestHost(final String nestHost)
            {
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    private Object newSample(final Class<?> sample) throws ReflectiveOperationException
    {
        final Class<?> type = image.loadClass(sample.getName());
        assertNotSame(sample, type, "defined by the node's loader, rewritten");
        return type.getConstructor().newInstance();
    }

    private byte[] classBytes(final String className)
    {
        final byte[] bytes = replaced.get(className);
        return null != bytes ? bytes : bytesOf(className);
    }

    /** Calls the public method of that name (static when {@code target} is a class), throwing what it throws. */
    private static Object call(final Object target, final String name, final Object... args) throws Throwable
    {
        final boolean isStatic = target instanceof Class;
        final Class<?> type = isStatic ? (Class<?>)target : target.getClass();
        for (final Method method : type.getMethods())
        {
            if (method.getName().equals(name) && method.getParameterCount() == args.length &&
                Modifier.isStatic(method.getModifiers()) == isStatic)
            {
                try
                {
                    return method.invoke(isStatic ? null : target, args);
                }
                catch (final InvocationTargetException ex)
                {
                    throw ex.getCause();
                }
            }
        }
        throw new NoSuchMethodError(type.getName() + "." + name);
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            assertTrue(latch.await(TIMEOUT_MS, TimeUnit.MILLISECONDS), "latch not released in time");
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static void awaitState(final Thread thread, final Thread.State state)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (thread.getState() != state)
        {
            if (System.nanoTime() > deadlineNs)
            {
                fail(thread.getName() + " is " + thread.getState() + ", not " + state + ", after " + TIMEOUT_MS + " ms");
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** A sample's method that runs the given code while it holds a monitor. */
    @FunctionalInterface
    private interface Sample
    {
        void call(Runnable inside) throws Throwable;
    }

    /** Test code a thread runs: its result, or what it throws. */
    @FunctionalInterface
    private interface Body
    {
        Object run() throws Throwable;
    }

    /** A thread running test code, with its result or failure. */
    private static final class Runner implements Runnable
    {
        final Thread thread;
        private final Body body;
        private volatile Object result;
        private volatile Throwable failure;

        private Runner(final String name, final Body body)
        {
            this.thread = new Thread(this, name);
            this.body = body;
        }

        static Runner start(final String name, final Body body)
        {
            final Runner runner = new Runner(name, body);
            runner.thread.start();
            return runner;
        }

        @Override
        public void run()
        {
            try
            {
                result = body.run();
            }
            catch (final Throwable ex)
            {
                failure = ex;
            }
        }

        Object join() throws Throwable
        {
            thread.join(TIMEOUT_MS);
            assertFalse(thread.isAlive(), thread.getName() + " still running after " + TIMEOUT_MS + " ms");
            if (null != failure)
            {
                throw failure;
            }
            return result;
        }
    }
}
