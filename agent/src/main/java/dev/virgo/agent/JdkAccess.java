package dev.virgo.agent;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Grants Virgo what it needs from {@code java.base} without the user adding flags: Aeron and Agrona use
 * {@code jdk.internal.misc} (the export they document as {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}),
 * copying a {@code Thread} subclass or an exception needs reflective access to {@code java.lang}, and sharing an
 * accumulator needs its function, private to {@code java.util.concurrent.atomic}. Granted to the
 * unnamed module of the loader that holds virgo.jar (with the agent, the application's class loader).
 */
final class JdkAccess
{
    private JdkAccess()
    {
    }

    static void grant(final Instrumentation instrumentation)
    {
        final Module javaBase = Object.class.getModule();
        final Module virgo = JdkAccess.class.getModule();
        instrumentation.redefineModule(
            javaBase,
            Set.of(),
            Map.of("jdk.internal.misc", Set.of(virgo)),
            Map.of("java.lang", Set.of(virgo), "java.lang.invoke", Set.of(virgo),
                "java.util.concurrent.atomic", Set.of(virgo)),
            Set.of(),
            Map.of());
    }
}
