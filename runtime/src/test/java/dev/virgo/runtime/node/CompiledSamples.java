package dev.virgo.runtime.node;

import dev.virgo.runtime.sharing.SyncSites;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Loads the sync samples through a node's class loader, rewritten, and calls their methods once each, in a JVM that
 * SyncSiteRewriterTest starts with {@code -Xcomp}: each is compiled before it first runs, and the JVM says whether it
 * refused one.
 */
public final class CompiledSamples
{
    private CompiledSamples()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final ThreadClassLoader image = new ThreadClassLoader("compiled-samples", TestClassFiles::bytesOf,
            CompiledSamples.class.getClassLoader());
        final Runnable nothing = () ->
        {
        };
        final Object blocks = newSample(image, "Blocks");
        for (final String name : List.of("onLock", "onThis", "nested", "catchingInside"))
        {
            call(blocks, name, nothing);
        }
        call(blocks.getClass(), "onClass", nothing);
        call(blocks, "increment", 3);
        call(blocks, "countBy", 2);
        call(blocks, "count");

        final Object shapes = newSample(image, "Shapes");
        call(shapes, "exits", 20);
        call(shapes, "withFinally", false);
        call(shapes, "withFinally", true);
        call(shapes, "inFinally");
        call(shapes, "inSwitch", 2);
        call(shapes, "inLambda");
        call(shapes, "aroundTryWithResources");
        call(shapes.getClass(), "initialized");
        call(shapes, "log");

        final Object methods = newSample(image, "Methods");
        for (final String name : List.of("run", "reenter", "catching"))
        {
            call(methods, name, nothing);
        }
        call(methods.getClass(), "runStatic", nothing);
        call(methods, "increment", 3);
        call(methods.getClass(), "incrementStatic", 3);
        call(methods.getClass(), "half", 3.0);
        call(methods, "self");

        final Object buffer = image.loadClass("dev.virgo.samples.sync.SyncSamples$BoundedBuffer")
            .getConstructor(int.class).newInstance(2);
        call(buffer, "put", "item");
        call(buffer, "take");

        final Object signal = newSample(image, "Signal");
        call(signal, "signal");
        call(signal, "signalThroughSuper");
        call(signal, "signalThroughReference");
        call(signal, "await");
        call(signal, "waitWithNanos", 0L, 1);

        final Object flags = newSample(image, "SubFlags");
        call(flags, "publish", 3);
        call(flags, "compound");
        call(flags, "doubleBigNumber");
        call(flags.getClass(), "publicationsThroughSubclass");
        callConcurrentSamples(image);
        System.out.println("called every sample");
    }

    /**
     * The calls on {@code java.util.concurrent} objects, each compiled with both sides of its guard taken: on this
     * unbound thread (local), then bound to a context for which the objects are shared (the context's answer).
     */
    private static void callConcurrentSamples(final ClassLoader image) throws Exception
    {
        final Object calls = image.loadClass("dev.virgo.samples.sync.ConcurrentSamples$Calls")
            .getConstructor().newInstance();
        final AtomicInteger counter = new AtomicInteger();
        final AtomicLong total = new AtomicLong();
        final DoubleAdder doubles = new DoubleAdder();
        final ReentrantLock lock = new ReentrantLock();
        final CountDownLatch latch = new CountDownLatch(0);
        final Runnable nothing = () ->
        {
        };
        final List<Object> local = List.of(
            call(calls, "incrementAndGet", counter), call(calls, "addAndGet", total, 2L),
            call(calls, "addThenSum", doubles, 0.5), call(calls, "lockUnlock", lock), call(calls, "tryLock", lock),
            String.valueOf(call(calls, "awaitLatch", latch)), call(calls, "describe", counter),
            call(calls, "incrementThroughReference", counter));
        lock.unlock();
        call(calls, "lockUnlockThroughInterface", lock, nothing);
        expect(List.of(1, 2L, 0.5, true, true, "null", "1", 2), local, "local");

        final RecordingContext context = new RecordingContext();
        for (final Object shared : List.of(counter, total, doubles, lock, latch))
        {
            context.share(shared, shared.getClass().getSimpleName());
        }
        final Map<String, Object> answers = Map.of("incrementAndGet", 41, "addAndGet", 42L, "sum", 43.0,
            "toString", "44", "tryLock", true, "isHeldByCurrentThread", true);
        context.answer = invocation -> answers.get(invocation.name);
        SyncSites.bind(context);
        try
        {
            final List<Object> remote = List.of(
                call(calls, "incrementAndGet", counter), call(calls, "addAndGet", total, 2L),
                call(calls, "addThenSum", doubles, 0.5), call(calls, "lockUnlock", lock), call(calls, "tryLock", lock),
                String.valueOf(call(calls, "awaitLatch", latch)), call(calls, "describe", counter),
                call(calls, "incrementThroughReference", counter));
            call(calls, "lockUnlockThroughInterface", lock, nothing);
            expect(List.of(41, 42L, 43.0, true, true, "null", "44", 41), remote, "shared");
        }
        finally
        {
            SyncSites.bind(null);
        }
    }

    private static void expect(final List<Object> expected, final List<Object> actual, final String what)
    {
        if (!expected.equals(actual))
        {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
        }
    }

    private static Object newSample(final ClassLoader image, final String name) throws ReflectiveOperationException
    {
        return image.loadClass("dev.virgo.samples.sync.SyncSamples$" + name).getConstructor().newInstance();
    }

    private static Object call(final Object target, final String name, final Object... args) throws Exception
    {
        final Class<?> type = target instanceof Class ? (Class<?>)target : target.getClass();
        for (final Method method : type.getMethods())
        {
            if (method.getName().equals(name) && method.getParameterCount() == args.length)
            {
                return method.invoke(target instanceof Class ? null : target, args);
            }
        }
        throw new NoSuchMethodException(type.getName() + "." + name);
    }
}
