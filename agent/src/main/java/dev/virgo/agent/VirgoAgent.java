package dev.virgo.agent;

import dev.virgo.agent.instrument.ThreadInstrumentation;
import dev.virgo.runtime.config.VirgoConfiguration;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.origin.OriginRuntime;
import net.bytebuddy.dynamic.loading.ClassInjector;

import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code -javaagent:virgo.jar[=options]}: makes this JVM an origin whose chosen threads move to nodes.
 *
 * <p>Never throws into the application: if Virgo cannot start, it says why once and the program runs as it would
 * without the agent.
 */
public final class VirgoAgent
{
    private VirgoAgent()
    {
    }

    public static void premain(final String agentArgs, final Instrumentation instrumentation)
    {
        start(agentArgs, instrumentation);
    }

    public static void agentmain(final String agentArgs, final Instrumentation instrumentation)
    {
        start(agentArgs, instrumentation);
    }

    private static void start(final String agentArgs, final Instrumentation instrumentation)
    {
        try
        {
            JdkAccess.grant(instrumentation);
            // Our relocated ByteBuddy only rewrites classes in place, which needs no sun.misc.Unsafe; safe mode keeps
            // it from touching Unsafe (warned about on the console from JDK 24). The shade plugin relocates this
            // property name with the package, so the application's own ByteBuddy is not affected.
            System.setProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
            final VirgoConfiguration configuration = VirgoConfiguration.parse(agentArgs);
            VirgoLog.init("origin", configuration.debug());
            BootstrapInjector.inject();
            final OriginRuntime runtime = OriginRuntime.launch(configuration, virgoJar());
            ThreadInstrumentation.install(instrumentation, runtime::isChosenByName, configuration.reportPooledCpus());
            OffloadingHandler.install(runtime);
        }
        catch (final Throwable ex)
        {
            VirgoLog.error("Virgo is disabled, threads run locally: " + ex.getMessage(), ex);
        }
    }

    static Path virgoJar()
    {
        try
        {
            return Paths.get(VirgoAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot tell where virgo.jar is: " + ex, ex);
        }
    }
}
