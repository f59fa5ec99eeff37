package dev.virgo.runtime.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.List;

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
        final ThreadClassLoader image = new ThreadClassLoader("compiled-samples", CompiledSamples::bytesOf,
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
        System.out.println("called every sample");
    }

    private static Object newSample(final ClassLoader image, final String name) throws ReflectiveOperationException
    {
        return image.loadClass("dev.virgo.samples.sync.SyncSamples$" + name).getConstructor().newInstance();
    }

    private static void call(final Object target, final String name, final Object... args) throws Exception
    {
        final Class<?> type = target instanceof Class ? (Class<?>)target : target.getClass();
        for (final Method method : type.getMethods())
        {
            if (method.getName().equals(name) && method.getParameterCount() == args.length)
            {
                method.invoke(target instanceof Class ? null : target, args);
                return;
            }
        }
        throw new NoSuchMethodException(type.getName() + "." + name);
    }

    private static byte[] bytesOf(final String className)
    {
        try (InputStream in = CompiledSamples.class.getClassLoader()
            .getResourceAsStream(className.replace('.', '/') + ".class"))
        {
            return null == in ? null : in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
