package dev.virgo.benchmarks;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import org.HdrHistogram.Histogram;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Hazelcast's distributed executor between two members in two JVMs on loopback: the round trip of
 * {@code submitToMember(noop, otherMember).get()}, then pipelined submits (a batch submitted, then every future
 * awaited) as throughput. Explicit TCP-IP join on 127.0.0.1, multicast and auto-detection off, phone-home off,
 * logging off, no join wait.
 *
 * <pre>
 * java HazelcastExecutorLatency role=server port=P peer=Q &amp;   # prints READY
 * java HazelcastExecutorLatency role=client port=Q peer=P out=hazelcast.csv
 * </pre>
 * The server leaves when the client has left the cluster (or on its watchdog).
 */
public final class HazelcastExecutorLatency
{
    /** The task: returns at once. Serializable, so Hazelcast ships it with Java serialization. */
    static final class Noop implements Callable<Integer>, Serializable
    {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call()
        {
            return 0;
        }
    }

    private HazelcastExecutorLatency()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Args parsed = Args.parse(args, Set.of(
            "role", "port", "peer", "cluster", "warmup", "iterations", "batch", "rounds", "out", "timeoutS"));
        final int timeoutS = parsed.integer("timeoutS", 150);
        Args.exitAfter("hazelcast", timeoutS);
        final HazelcastInstance hz = Hazelcast.newHazelcastInstance(config(parsed));
        try
        {
            if ("server".equals(parsed.required("role")))
            {
                serve(hz, timeoutS);
            }
            else
            {
                measure(parsed, hz);
            }
        }
        finally
        {
            hz.shutdown();
        }
        System.exit(0);
    }

    /** A member's configuration from {@code port}, {@code peer} and {@code cluster}; HazelcastMapLatency's too. */
    static Config config(final Args parsed)
    {
        final Config config = new Config();
        config.setClusterName(parsed.string("cluster", "virgo-bench"));
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "none");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        final NetworkConfig network = config.getNetworkConfig();
        network.setPort(Integer.parseInt(parsed.required("port"))).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        final JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true)
            .addMember("127.0.0.1:" + parsed.required("port"))
            .addMember("127.0.0.1:" + parsed.required("peer"));
        return config;
    }

    /** The serving member: says READY, then waits until the measuring member has joined and left (or the timeout). */
    static void serve(final HazelcastInstance hz, final int timeoutS) throws InterruptedException
    {
        System.out.println("READY");
        System.out.flush();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        boolean joined = false;
        while (System.nanoTime() < deadline)
        {
            final int members = hz.getCluster().getMembers().size();
            joined |= members > 1;
            if (joined && members == 1)
            {
                return;
            }
            Thread.sleep(50);
        }
    }

    private static void measure(final Args parsed, final HazelcastInstance hz) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (hz.getCluster().getMembers().size() < 2)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("hazelcast: the other member did not join within 60 s");
            }
            Thread.sleep(20);
        }
        Member other = null;
        for (final Member member : hz.getCluster().getMembers())
        {
            if (!member.localMember())
            {
                other = member;
            }
        }
        final IExecutorService executor = hz.getExecutorService("virgo-bench");
        final Noop noop = new Noop();
        final int warmup = parsed.integer("warmup", 10_000);
        final int iterations = parsed.integer("iterations", 20_000);
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        for (int i = 0; i < warmup + iterations; i++)
        {
            final long began = System.nanoTime();
            executor.submitToMember(noop, other).get(10, TimeUnit.SECONDS);
            if (i >= warmup)
            {
                histogram.recordValue(Math.min(System.nanoTime() - began, histogram.getHighestTrackableValue()));
            }
        }

        final int batch = parsed.integer("batch", 1_000);
        final int rounds = parsed.integer("rounds", 20);
        final List<Future<Integer>> futures = new ArrayList<>(batch);
        long measuredNs = 0;
        for (int round = 0; round < rounds + rounds / 2; round++)
        {
            final long began = System.nanoTime();
            for (int i = 0; i < batch; i++)
            {
                futures.add(executor.submitToMember(noop, other));
            }
            for (final Future<Integer> future : futures)
            {
                future.get(10, TimeUnit.SECONDS);
            }
            futures.clear();
            if (round >= rounds / 2) // the first third warms up
            {
                measuredNs += System.nanoTime() - began;
            }
        }

        final ResultFile results = new ResultFile(parsed.required("out"), "n/a (Hazelcast's own threads)",
            "Hazelcast 5.5 member to member, TCP 127.0.0.1, two JVMs");
        results.latency("hazelcast", "submitToMember(noop).get()", "round trip", histogram);
        results.value("hazelcast", "pipelined submitToMember, batch " + batch, "throughput", "tasks/s",
            (long)batch * rounds, (double)batch * rounds / (measuredNs / 1e9));
        results.write();
    }
}
