package dev.virgo.benchmarks;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Hazelcast's {@code IMap} beside the shared heap's misses and hits: two members in two JVMs on loopback (set up as
 * {@link HazelcastExecutorLatency}'s), the measuring member reading and writing keys whose partitions the other member
 * owns, so every call is a round trip:
 * <ul>
 *     <li>{@code get} and {@code put} of a 4 KiB {@code byte[]} (the heap's page size: a read miss brings one page)
 *     and of an 8-byte {@code Long}, and {@code set} of 4 KiB ({@code put} returns the old value, so it carries the 4
 *     KiB back too; {@code set} does not);</li>
 *     <li>{@code get} of an 8-byte {@code Long} through a near cache (in-memory format {@code OBJECT}, the fastest:
 *     no deserialization on a hit), timed one by one with {@code System.nanoTime()}, beside the cost of that timing;
 *     the near cache's own hit count must grow by every measured get.</li>
 * </ul>
 * The calls rotate over 16 keys, all owned by the other member; each figure has its own warm-up.
 * <pre>
 * java HazelcastMapLatency role=server port=P peer=Q &amp;   # prints READY
 * java HazelcastMapLatency role=client port=Q peer=P out=hazelcast-map.csv
 * </pre>
 */
public final class HazelcastMapLatency
{
    private static final String PAGES = "virgo-bench-pages";
    private static final String LONGS = "virgo-bench-longs";
    private static final String NEAR = "virgo-bench-near";
    private static final int KEYS = 16;
    private static final int VALUE_BYTES = 4096;

    private HazelcastMapLatency()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Args parsed = Args.parse(args, Set.of(
            "role", "port", "peer", "cluster", "warmup", "iterations", "out", "timeoutS"));
        final int timeoutS = parsed.integer("timeoutS", 150);
        Args.exitAfter("hazelcast-map", timeoutS);
        final Config config = HazelcastExecutorLatency.config(parsed);
        config.addMapConfig(new MapConfig(NEAR).setNearCacheConfig(new NearCacheConfig(NEAR)
            .setInMemoryFormat(InMemoryFormat.OBJECT)
            .setCacheLocalEntries(false)
            .setInvalidateOnChange(true)));
        final HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
        try
        {
            if ("server".equals(parsed.required("role")))
            {
                HazelcastExecutorLatency.serve(hz, timeoutS);
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

    private static void measure(final Args parsed, final HazelcastInstance hz) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (hz.getCluster().getMembers().size() < 2 || !hz.getPartitionService().isClusterSafe())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("hazelcast: no safe cluster of two members within 60 s");
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
        final List<String> keys = remoteKeys(hz.getPartitionService(), other);

        final int warmup = parsed.integer("warmup", 3_000);
        final int iterations = parsed.integer("iterations", 10_000);
        final byte[] page = new byte[VALUE_BYTES];
        new Random(42).nextBytes(page);
        final IMap<String, byte[]> pages = hz.getMap(PAGES);
        final IMap<String, Long> longs = hz.getMap(LONGS);
        final IMap<String, Long> near = hz.getMap(NEAR);
        for (final String key : keys)
        {
            pages.set(key, page);
            longs.set(key, 42L);
            near.set(key, 42L);
        }

        final ResultFile results = new ResultFile(parsed.required("out"), "n/a (Hazelcast's own threads)",
            "Hazelcast 5.5 member to member, TCP 127.0.0.1, two JVMs; keys owned by the other member");
        results.latency("hazelcast-map", "get 4 KiB", "IMap.get of a 4 KiB byte[], key owned remotely",
            time(warmup, iterations, i -> checkLength(pages.get(keys.get(i % KEYS)))));
        results.latency("hazelcast-map", "put 4 KiB", "IMap.put of a 4 KiB byte[] (returns the old one)",
            time(warmup, iterations, i -> checkLength(pages.put(keys.get(i % KEYS), page))));
        results.latency("hazelcast-map", "set 4 KiB", "IMap.set of a 4 KiB byte[] (returns nothing)",
            time(warmup, iterations, i -> pages.set(keys.get(i % KEYS), page)));
        results.latency("hazelcast-map", "get 8 B", "IMap.get of a Long, key owned remotely",
            time(warmup, iterations, i -> longs.get(keys.get(i % KEYS))));
        results.latency("hazelcast-map", "put 8 B", "IMap.put of a Long (returns the old one)",
            time(warmup, iterations, i -> longs.put(keys.get(i % KEYS), (long)i)));

        final long hitsBefore = near.getLocalMapStats().getNearCacheStats().getHits();
        final int nearIterations = iterations * 10;
        final Histogram nearGets = time(warmup * 10, nearIterations, i -> near.get(keys.get(i % KEYS)));
        final long hits = near.getLocalMapStats().getNearCacheStats().getHits() - hitsBefore;
        if (hits < nearIterations)
        {
            throw new IllegalStateException("near cache: " + hits + " hits for " + nearIterations +
                " measured gets; the figure would not be of near-cache hits");
        }
        results.latencyNs("hazelcast-map", "near-cache get 8 B", "IMap.get of a Long held in the near cache " +
            "(OBJECT format), timed one by one with System.nanoTime()", nearGets);
        results.latencyNs("hazelcast-map", "timer", "two System.nanoTime() calls with nothing between",
            time(warmup * 10, nearIterations, i -> { }));
        results.write();
    }

    /** Keys whose partitions the other member owns (the owner is asked, not guessed). */
    private static List<String> remoteKeys(final PartitionService partitions, final Member other)
    {
        final List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < KEYS; i++)
        {
            if (i > 100_000)
            {
                throw new IllegalStateException("hazelcast: fewer than " + KEYS + " keys owned by " + other);
            }
            final String key = "key-" + i;
            if (other.equals(partitions.getPartition(key).getOwner()))
            {
                keys.add(key);
            }
        }
        return keys;
    }

    private static void checkLength(final byte[] value)
    {
        if (null == value || value.length != VALUE_BYTES)
        {
            throw new IllegalStateException("hazelcast: got " + (null == value ? "null" : value.length + " bytes") +
                ", " + VALUE_BYTES + " expected");
        }
    }

    /** Each call timed on its own, after {@code warmup} untimed ones. */
    private static Histogram time(final int warmup, final int iterations, final IntConsumer call)
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        for (int i = 0; i < warmup + iterations; i++)
        {
            final long beganNs = System.nanoTime();
            call.accept(i);
            if (i >= warmup)
            {
                histogram.recordValue(Math.min(System.nanoTime() - beganNs, histogram.getHighestTrackableValue()));
            }
        }
        return histogram;
    }
}
