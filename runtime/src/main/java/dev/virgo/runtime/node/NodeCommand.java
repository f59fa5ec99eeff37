package dev.virgo.runtime.node;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.security.ClusterSecret;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;

/**
 * {@code java -jar virgo.jar node}: runs a node that takes moved threads from origins.
 *
 * <p>Standalone ({@code --bind host:port}, default {@code 127.0.0.1:7700}): the node runs its own media driver and
 * receives over UDP. Without a secret file a node binds loopback only and refuses any other address; with one
 * ({@code --secret-file PATH} or {@code VIRGO_SECRET_FILE}) it serves only origins that prove the secret.
 * Embedded ({@code --aeron-dir}, used by the agent's local nodes): the node shares the origin's driver, receives
 * over IPC, and exits when the origin process is gone.
 */
@Command(name = "virgo.jar", mixinStandardHelpOptions = true, versionProvider = NodeCommand.Version.class,
    description = "Virgo: moves threads of unmodified Java programs to other JVMs.",
    subcommands = {NodeCommand.Node.class})
public final class NodeCommand implements Runnable
{
    @Override
    public void run()
    {
        new CommandLine(this).usage(System.out);
    }

    /** Runs the command line and returns the process exit code. */
    public static int run(final String[] args)
    {
        return new CommandLine(new NodeCommand()).execute(args);
    }

    @Command(name = "node", mixinStandardHelpOptions = true, description = "Run a node that takes moved threads.")
    static final class Node implements Callable<Integer>
    {
        private static final long SHUTDOWN_TIMEOUT_S = 10;

        @Option(names = "--bind", description = "host:port to receive on over UDP (loopback only for now). " +
            "Default: ${DEFAULT-VALUE}", defaultValue = "127.0.0.1:7700")
        String bind;

        @Option(names = "--name", description = "Name shown to origins and in logs. Default: host:port or node-N.")
        String name;

        @Option(names = "--aeron-dir", description = "Share the media driver in this directory (local nodes).")
        String aeronDir;

        @Option(names = "--stream", description = "IPC stream to receive on with --aeron-dir.", defaultValue = "101")
        int streamId;

        @Option(names = "--origin-pid", description = "Exit when this process ends (local nodes).",
            defaultValue = "0")
        long originPid;

        @Option(names = "--idle", description = "Idle strategy: backoff, yielding, sleeping, spinning. " +
            "Default: ${DEFAULT-VALUE}", defaultValue = "backoff")
        String idle;

        @Option(names = "--origin-timeout-ms", description = "Drop an origin silent this long. Default: ${DEFAULT-VALUE}",
            defaultValue = "5000")
        long originTimeoutMs;

        @Option(names = "--max-origins", description = "Origins served at once; a HELLO past it is refused until one " +
            "leaves. Default: ${DEFAULT-VALUE}", defaultValue = "256")
        int maxOrigins;

        @Option(names = "--secret-file", description = "The cluster secret: origins must prove it. Default: " +
            "$VIRGO_SECRET_FILE, else none (loopback only).")
        String secretFile;

        @Option(names = "--debug", description = "Log each thread and message.")
        boolean debug;

        @Override
        public Integer call()
        {
            final NodeSettings settings = new NodeSettings();
            settings.idle = idle;
            settings.originTimeoutMs = originTimeoutMs;
            if (maxOrigins < 1)
            {
                System.err.println("--max-origins=" + maxOrigins + ": at least 1 expected");
                return 2;
            }
            settings.maxOrigins = maxOrigins;
            try
            {
                settings.secret = ClusterSecret.resolve(
                    secretFile, System.getenv(ClusterSecret.SECRET_FILE_ENV));
            }
            catch (final VirgoException ex)
            {
                System.err.println(ex.getMessage());
                return 2;
            }
            if (null != aeronDir)
            {
                settings.aeronDir = aeronDir;
                settings.channel = "aeron:ipc";
                settings.heapChannel = "aeron:ipc";
                settings.streamId = streamId;
                settings.originPid = originPid;
                settings.name = null != name ? name : "node-" + streamId;
            }
            else
            {
                final int colon = bind.lastIndexOf(':');
                if (colon <= 0)
                {
                    System.err.println("--bind must be host:port, got '" + bind + "'");
                    return 2;
                }
                final String host = bind.substring(0, colon);
                if (!isLoopback(host) && null == settings.secret)
                {
                    System.err.println("refusing to bind " + bind + ": without a cluster secret (--secret-file PATH or " +
                        "VIRGO_SECRET_FILE) a node binds loopback only, e.g. --bind 127.0.0.1:7700");
                    return 2;
                }
                settings.channel = "aeron:udp?endpoint=" + bind;
                settings.heapChannel = "aeron:udp?endpoint=" + host + ":0";
                settings.streamId = NodeSettings.NODE_STREAM_ID;
                settings.name = null != name ? name : bind;
            }
            VirgoLog.init(settings.name, debug);
            final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
            try (NodeConductor conductor = NodeConductor.open(settings))
            {
                // SIGTERM or Ctrl-C: stop the loop and let the close below remove the media driver's files.
                Runtime.getRuntime().addShutdownHook(new Thread(() ->
                {
                    conductor.stop();
                    try
                    {
                        closed.await(SHUTDOWN_TIMEOUT_S, java.util.concurrent.TimeUnit.SECONDS);
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                }, "virgo-node-shutdown"));
                final String ready = "ready on " + conductor.channel() + " stream " + settings.streamId;
                if (null == aeronDir)
                {
                    VirgoLog.info(ready);
                }
                else
                {
                    VirgoLog.debug(ready);
                }
                conductor.runUntilStopped();
                return 0;
            }
            catch (final VirgoException ex)
            {
                VirgoLog.error(ex.getMessage(), VirgoLog.isDebug() ? ex : null);
                return 1;
            }
            finally
            {
                closed.countDown();
            }
        }

        private static boolean isLoopback(final String host)
        {
            try
            {
                return InetAddress.getByName(host).isLoopbackAddress();
            }
            catch (final UnknownHostException ex)
            {
                return false;
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String version = NodeCommand.class.getPackage().getImplementationVersion();
            return new String[] {"Virgo " + (null != version ? version : "(development build)")};
        }
    }
}
