package dev.virgo.benchmarks;

import org.HdrHistogram.Histogram;

import java.rmi.Remote;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A JDK RMI no-op call between two JVMs on loopback, the peer a user gets without any library. The server JVM
 * holds its own registry ({@code LocateRegistry.createRegistry}), so there is no separate {@code rmiregistry}
 * process to stop; the client's {@code stop()} call, or the watchdog, ends it.
 *
 * <pre>
 * java -Djava.rmi.server.hostname=127.0.0.1 RmiLatency role=server port=P &amp;   # prints READY
 * java -Djava.rmi.server.hostname=127.0.0.1 RmiLatency role=client port=P out=rmi.csv
 * </pre>
 */
public final class RmiLatency
{
    /** The remote interface: one no-op call, and the client's goodbye. */
    public interface Ping extends Remote
    {
        void ping() throws RemoteException;

        void stop() throws RemoteException;
    }

    static final class PingServer implements Ping
    {
        final CountDownLatch stopped = new CountDownLatch(1);

        @Override
        public void ping()
        {
        }

        @Override
        public void stop()
        {
            stopped.countDown();
        }
    }

    private RmiLatency()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Args parsed = Args.parse(args, Set.of("role", "port", "warmup", "iterations", "out", "timeoutS"));
        final int timeoutS = parsed.integer("timeoutS", 120);
        Args.exitAfter("rmi", timeoutS);
        final int port = Integer.parseInt(parsed.required("port"));
        if ("server".equals(parsed.required("role")))
        {
            final Registry registry = LocateRegistry.createRegistry(port);
            final PingServer server = new PingServer();
            registry.rebind("ping", UnicastRemoteObject.exportObject(server, 0));
            System.out.println("READY");
            System.out.flush();
            server.stopped.await(timeoutS, TimeUnit.SECONDS);
            Thread.sleep(100); // let the stop() reply leave before the JVM goes
            System.exit(0);
        }

        final Ping ping = (Ping)LocateRegistry.getRegistry("127.0.0.1", port).lookup("ping");
        final int warmup = parsed.integer("warmup", 20_000);
        final int iterations = parsed.integer("iterations", 50_000);
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        for (int i = 0; i < warmup; i++)
        {
            ping.ping();
        }
        for (int i = 0; i < iterations; i++)
        {
            final long began = System.nanoTime();
            ping.ping();
            histogram.recordValue(Math.min(System.nanoTime() - began, histogram.getHighestTrackableValue()));
        }
        try
        {
            ping.stop();
        }
        catch (final RemoteException ex)
        {
            System.err.println("rmi: the server went before answering stop(): " + ex);
        }
        final ResultFile results = new ResultFile(parsed.required("out"), "n/a (JDK RMI threads)",
            "JDK RMI (JRMP over TCP 127.0.0.1), two JVMs");
        results.latency("rmi", "no-op call", "round trip", histogram);
        results.write();
        System.exit(0);
    }
}
