package dev.virgo.agent;

import dev.virgo.api.VirgoException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;

/**
 * Defines {@code dev.virgo.agent.bootstrap} in the bootstrap class loader, where advice inlined into
 * {@code java.lang.Thread} can see it. The classes are defined directly with {@code jdk.internal.misc.Unsafe}, which
 * {@link JdkAccess} exported to Virgo, rather than by appending a jar to the boot class path (that would leave a file
 * behind after {@code kill -9} and makes the JVM print a class-data-sharing warning into the application's output)
 * or through {@code sun.misc.Unsafe} (deprecated, and warned about on the console from JDK 24).
 *
 * <p>Must run before anything in the system class loader resolves these classes: classes that mention them
 * ({@link OffloadingHandler}, the instrumentation) are loaded only afterwards.
 */
final class BootstrapInjector
{
    private static final String[] CLASSES = {
        "dev.virgo.agent.bootstrap.ThreadDispatcher",
        "dev.virgo.agent.bootstrap.ThreadDispatcher$Handler",
    };

    private BootstrapInjector()
    {
    }

    static void inject()
    {
        final Method defineClass;
        final Object unsafe;
        try
        {
            final Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
            defineClass = unsafeClass.getMethod("defineClass",
                String.class, byte[].class, int.class, int.class, ClassLoader.class, ProtectionDomain.class);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            throw new VirgoException("cannot define Virgo's dispatcher in the bootstrap class loader on " +
                Runtime.version() + " (is jdk.internal.misc exported to Virgo?): " + ex, ex);
        }
        for (final String name : CLASSES)
        {
            final byte[] bytes = classBytes(name);
            try
            {
                defineClass.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new VirgoException("cannot define " + name + " in the bootstrap class loader: " +
                    ex.getCause(), ex);
            }
        }
    }

    private static byte[] classBytes(final String name)
    {
        final String resource = name.replace('.', '/') + ".class";
        try (InputStream in = BootstrapInjector.class.getClassLoader().getResourceAsStream(resource))
        {
            if (null == in)
            {
                throw new VirgoException("virgo.jar is missing " + resource);
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new VirgoException("cannot read " + resource + " from virgo.jar: " + ex, ex);
        }
    }
}
