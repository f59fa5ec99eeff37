package dev.virgo.it.heap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Checks the per-address histories of a randomized run against the shared heap: that each address, taken alone, behaved
 * as one memory location (coherence), and that the read-modify-writes were atomic.
 *
 * <p><b>Histories.</b> Each thread records what it did, in program order, with a {@link Recorder}: a plain put of a
 * value (unique per address: no two writes to one address write the same value, and none writes the initial 0), a
 * plain get with the value it returned, a get-and-add with its delta (positive) and the previous value it returned, a
 * compare-and-set with its expected value, its update and whether it succeeded. After every thread ended, the final
 * value of each address may be added ({@link #finalValue}); addresses may be declared counters ({@link #counter}).
 *
 * <p><b>What is checked, per address.</b> Unique values tell which write each read read from. Then:
 * <ul>
 *   <li>every value read was written by some write to the address, or is the initial 0;</li>
 *   <li>no two read-modify-writes read from the same write (an atomic update cannot be lost);</li>
 *   <li>there is a coherence order: one total order of the address's writes in which every thread's accesses are
 *   ordered as in its program and every read returns the latest write before it (CoWW, CoWR, CoRW, CoRR), each
 *   read-modify-write comes right after the write it read, and the final value is the last write;</li>
 *   <li>on a counter, only get-and-adds write, and the final value is the initial 0 plus every delta.</li>
 * </ul>
 *
 * <p><b>How.</b> With unique values a history of one address is coherent if and only if its "clusters" (a write and
 * the reads that returned its value) can be ordered so that each thread's consecutive accesses go from a cluster to
 * the same or a later one, a read of a cluster never precedes the cluster's write in its own thread, the initial
 * cluster is first, the final value's last, and each read-modify-write's cluster follows the one it read right away.
 * Glue each read-modify-write's cluster to the cluster it read (a chain, whose order is fixed), draw an edge from
 * chain to chain for each pair of consecutive accesses of a thread that cross chains, and the history is coherent if
 * and only if the edges inside chains go forward and the graph of chains has no cycle (a topological order, each chain
 * laid out in its order, is then a coherence order). A cycle is reported with the operations that made its edges.
 *
 * <p>A failed compare-and-set says only that the value was not the expected one at some point; it constrains nothing
 * here and is skipped.
 */
public final class HistoryChecker
{
    /** Kinds of operation, as recorded. */
    public static final int PUT = 1;
    public static final int GET = 2;
    public static final int GET_AND_ADD = 3;
    public static final int CAS = 4;

    /** Longs per operation: {@code kind | success << 8}, the address, two values (see {@link Recorder}). */
    public static final int LONGS_PER_OP = 4;
    private static final int KIND_MASK = 0xFF;
    private static final long SUCCESS = 1L << 8;
    private static final long INITIAL = 0;

    private final List<String> threadNames = new ArrayList<>();
    private final List<long[]> threadOps = new ArrayList<>();
    private final Map<Long, Long> finalValues = new LinkedHashMap<>();
    private final Set<Long> counters = new LinkedHashSet<>();

    /**
     * One thread's history, in program order, as a flat {@code long[]} (so that it travels and is written back as one
     * array): per operation {@link #LONGS_PER_OP} longs, {@code [kind (| 1 << 8 if a CAS succeeded), address, a, b]}
     * with (a, b) = (value, 0) for a put, (seen, 0) for a get, (delta, previous) for a get-and-add and (expected,
     * update) for a compare-and-set. Not thread-safe: one recorder per thread.
     */
    public static final class Recorder
    {
        private long[] ops;
        private int count;

        public Recorder(final int expectedOps)
        {
            ops = new long[Math.max(1, expectedOps) * LONGS_PER_OP];
        }

        public void put(final long address, final long value)
        {
            add(PUT, address, value, 0);
        }

        public void get(final long address, final long seen)
        {
            add(GET, address, seen, 0);
        }

        public void getAndAdd(final long address, final long delta, final long previous)
        {
            add(GET_AND_ADD, address, delta, previous);
        }

        public void compareAndSet(final long address, final long expected, final long update, final boolean success)
        {
            add(CAS | (success ? SUCCESS : 0), address, expected, update);
        }

        public int size()
        {
            return count;
        }

        /** @return the operations recorded so far, {@link #LONGS_PER_OP} longs each. */
        public long[] toArray()
        {
            return Arrays.copyOf(ops, count * LONGS_PER_OP);
        }

        private void add(final long kind, final long address, final long a, final long b)
        {
            if ((count + 1) * LONGS_PER_OP > ops.length)
            {
                ops = Arrays.copyOf(ops, ops.length * 2);
            }
            final int at = count * LONGS_PER_OP;
            ops[at] = kind;
            ops[at + 1] = address;
            ops[at + 2] = a;
            ops[at + 3] = b;
            count++;
        }
    }

    /** Adds a thread's history (as from {@link Recorder#toArray()}). */
    public HistoryChecker thread(final String name, final long[] ops)
    {
        if (ops.length % LONGS_PER_OP != 0)
        {
            throw new IllegalArgumentException("thread " + name + ": " + ops.length + " longs is not a whole number " +
                "of operations of " + LONGS_PER_OP + " longs");
        }
        threadNames.add(name);
        threadOps.add(ops.clone());
        return this;
    }

    /** The value read at {@code address} after every thread ended: it must be the last write in coherence order. */
    public HistoryChecker finalValue(final long address, final long value)
    {
        finalValues.put(address, value);
        return this;
    }

    /** Declares {@code address} a counter: written only by get-and-add, ending at the sum of the deltas. */
    public HistoryChecker counter(final long address)
    {
        counters.add(address);
        return this;
    }

    /** What a check found: no violations means every address was coherent and every atomic update atomic. */
    public static final class Result
    {
        public final int addresses;
        public final int operations;
        public final List<String> violations;

        Result(final int addresses, final int operations, final List<String> violations)
        {
            this.addresses = addresses;
            this.operations = operations;
            this.violations = List.copyOf(violations);
        }

        public boolean ok()
        {
            return violations.isEmpty();
        }

        @Override
        public String toString()
        {
            return (ok() ? "coherent" : violations.size() + " violation(s)") + " over " + addresses + " addresses, " +
                operations + " operations" + (ok() ? "" : ": " + String.join("; ", violations));
        }
    }

    public Result check()
    {
        final Map<Long, List<Event>> byAddress = new TreeMap<>();
        int operations = 0;
        for (int t = 0; t < threadOps.size(); t++)
        {
            final long[] ops = threadOps.get(t);
            for (int i = 0; i < ops.length / LONGS_PER_OP; i++)
            {
                final int at = i * LONGS_PER_OP;
                final Event event = new Event(t, i, (int)(ops[at] & KIND_MASK), (ops[at] & SUCCESS) != 0,
                    ops[at + 1], ops[at + 2], ops[at + 3]);
                byAddress.computeIfAbsent(event.address, a -> new ArrayList<>()).add(event);
                operations++;
            }
        }
        for (final Long address : finalValues.keySet())
        {
            byAddress.computeIfAbsent(address, a -> new ArrayList<>());
        }
        for (final Long address : counters)
        {
            byAddress.computeIfAbsent(address, a -> new ArrayList<>());
        }
        final List<String> violations = new ArrayList<>();
        for (final Map.Entry<Long, List<Event>> entry : byAddress.entrySet())
        {
            new AddressCheck(entry.getKey(), entry.getValue(), violations).run();
        }
        return new Result(byAddress.size(), operations, violations);
    }

    /** One recorded operation; for a read-modify-write both its read and its write. */
    private final class Event
    {
        final int thread;
        final int index;
        final int kind;
        final boolean success;
        final long address;
        final long a;
        final long b;

        Event(final int thread, final int index, final int kind, final boolean success, final long address,
            final long a, final long b)
        {
            this.thread = thread;
            this.index = index;
            this.kind = kind;
            this.success = success;
            this.address = address;
            this.a = a;
            this.b = b;
        }

        boolean writes()
        {
            return kind == PUT || kind == GET_AND_ADD || (kind == CAS && success);
        }

        boolean reads()
        {
            return kind == GET || kind == GET_AND_ADD || (kind == CAS && success);
        }

        boolean isReadModifyWrite()
        {
            return writes() && reads();
        }

        long written()
        {
            switch (kind)
            {
                case PUT: return a;
                case GET_AND_ADD: return b + a;
                case CAS: return b;
                default: throw new IllegalStateException(this + " writes nothing");
            }
        }

        long read()
        {
            switch (kind)
            {
                case GET: return a;
                case GET_AND_ADD: return b;
                case CAS: return a;
                default: throw new IllegalStateException(this + " reads nothing");
            }
        }

        @Override
        public String toString()
        {
            final String where = threadNames.get(thread) + " op#" + index + " ";
            switch (kind)
            {
                case PUT: return where + "put(" + a + ")";
                case GET: return where + "get()=" + a;
                case GET_AND_ADD: return where + "getAndAdd(" + a + ")=" + b;
                case CAS: return where + "compareAndSet(" + a + ", " + b + ")=" + success;
                default: return where + "unknown kind " + kind;
            }
        }
    }

    /** The check of one address: clusters of one write and its reads, chains of clusters glued by atomic updates. */
    private final class AddressCheck
    {
        private final long address;
        private final List<Event> events;
        private final List<String> violations;
        private final String where;
        /** Cluster number by written value; cluster 0 is the initial value. */
        private final Map<Long, Integer> clusterOfValue = new HashMap<>();
        private final List<Event> writerOfCluster = new ArrayList<>();
        private int[] nextInChain;
        private int[] chainOf;
        private int[] positionInChain;

        AddressCheck(final long address, final List<Event> events, final List<String> violations)
        {
            this.address = address;
            this.events = events;
            this.violations = violations;
            this.where = "address 0x" + Long.toHexString(address) + ": ";
        }

        void run()
        {
            if (!collectWrites() || !readsReadWrittenValues() || !buildChains())
            {
                return;
            }
            checkCounter();
            checkOrder();
        }

        private boolean collectWrites()
        {
            clusterOfValue.put(INITIAL, 0);
            writerOfCluster.add(null);
            boolean ok = true;
            for (final Event event : events)
            {
                if (!event.writes())
                {
                    continue;
                }
                final long value = event.written();
                final Integer existing = clusterOfValue.putIfAbsent(value, writerOfCluster.size());
                if (null == existing)
                {
                    writerOfCluster.add(event);
                    continue;
                }
                ok = false;
                final Event other = writerOfCluster.get(existing);
                if (null == other)
                {
                    violations.add(where + event + " wrote the initial value " + INITIAL +
                        " (histories need values unique per address)");
                }
                else if (event.isReadModifyWrite() && other.isReadModifyWrite() && event.read() == other.read())
                {
                    violations.add(where + "atomic updates " + other + " and " + event + " both read " +
                        event.read() + ": one update was lost");
                }
                else
                {
                    violations.add(where + other + " and " + event + " both wrote " + value +
                        " (histories need values unique per address)");
                }
            }
            return ok;
        }

        private boolean readsReadWrittenValues()
        {
            boolean ok = true;
            for (final Event event : events)
            {
                if (event.reads() && !clusterOfValue.containsKey(event.read()))
                {
                    ok = false;
                    violations.add(where + event + " read " + event.read() +
                        ", a value no thread wrote to this address (nor the initial " + INITIAL + ")");
                }
            }
            return ok;
        }

        /** Glues each read-modify-write right after the write it read; two gluing onto one write lost an update. */
        private boolean buildChains()
        {
            final int clusters = writerOfCluster.size();
            nextInChain = new int[clusters];
            Arrays.fill(nextInChain, -1);
            final boolean[] hasPrevious = new boolean[clusters];
            boolean ok = true;
            for (int c = 1; c < clusters; c++)
            {
                final Event event = writerOfCluster.get(c);
                if (!event.isReadModifyWrite())
                {
                    continue;
                }
                final int readFrom = clusterOfValue.get(event.read());
                if (nextInChain[readFrom] >= 0)
                {
                    ok = false;
                    violations.add(where + "atomic updates " + writerOfCluster.get(nextInChain[readFrom]) + " and " +
                        event + " both read " + event.read() + " (written by " + describeWriter(readFrom) +
                        "): one update was lost");
                    continue;
                }
                nextInChain[readFrom] = c;
                hasPrevious[c] = true;
            }
            chainOf = new int[clusters];
            positionInChain = new int[clusters];
            Arrays.fill(chainOf, -1);
            int chains = 0;
            for (int c = 0; c < clusters; c++)
            {
                if (hasPrevious[c])
                {
                    continue;
                }
                int position = 0;
                for (int member = c; member >= 0; member = nextInChain[member])
                {
                    chainOf[member] = chains;
                    positionInChain[member] = position++;
                }
                chains++;
            }
            for (int c = 0; c < clusters; c++)
            {
                if (chainOf[c] < 0)
                {
                    ok = false;
                    violations.add(where + "atomic updates read each other's results in a cycle, among them " +
                        writerOfCluster.get(c));
                    break;
                }
            }
            return ok;
        }

        private void checkCounter()
        {
            if (!counters.contains(address))
            {
                return;
            }
            long sum = 0;
            for (final Event event : events)
            {
                if (event.writes() && event.kind != GET_AND_ADD)
                {
                    violations.add(where + "a counter, written by " + event + ", not by get-and-add");
                    return;
                }
                if (event.kind == GET_AND_ADD)
                {
                    sum += event.a;
                }
            }
            final Long last = finalValues.get(address);
            if (null != last && last != sum)
            {
                violations.add(where + "counter ended at " + last + " but its get-and-adds added " + sum +
                    ": an update was lost or applied twice");
            }
        }

        private void checkOrder()
        {
            final int clusters = writerOfCluster.size();
            int chains = 0;
            for (int c = 0; c < clusters; c++)
            {
                chains = Math.max(chains, chainOf[c] + 1);
            }
            final Graph graph = new Graph(chains);
            final Map<Integer, Event> lastOfThread = new HashMap<>();
            for (final Event event : events)
            {
                if (!event.reads() && !event.writes())
                {
                    continue; // a failed compare-and-set
                }
                final Event previous = lastOfThread.put(event.thread, event);
                if (null != previous && !orderConsecutive(graph, previous, event))
                {
                    return;
                }
            }
            for (int c = 1; c < clusters; c++)
            {
                graph.edge(chainOf[0], chainOf[c], () -> "the initial value comes first");
            }
            final Long last = finalValues.get(address);
            if (null != last)
            {
                final Integer lastCluster = clusterOfValue.get(last);
                if (null == lastCluster)
                {
                    violations.add(where + "ended holding " + last + ", a value no thread wrote here");
                    return;
                }
                if (nextInChain[lastCluster] >= 0)
                {
                    violations.add(where + "ended holding " + last + " (written by " + describeWriter(lastCluster) +
                        "), yet " + writerOfCluster.get(nextInChain[lastCluster]) + " updated that value");
                    return;
                }
                for (int c = 0; c < clusters; c++)
                {
                    graph.edge(chainOf[c], chainOf[lastCluster],
                        () -> "the final value " + last + " is the last write");
                }
            }
            final List<String> cycle = graph.findCycle();
            if (null != cycle)
            {
                violations.add(where + "no coherence order of its writes explains what the threads saw; " +
                    "these orderings form a cycle: " + String.join(" -> then ", cycle));
            }
        }

        /** @return false after reporting a violation inside one chain. */
        private boolean orderConsecutive(final Graph graph, final Event first, final Event second)
        {
            final int from = clusterOf(first);
            final int to = clusterOf(second);
            if (chainOf[from] != chainOf[to])
            {
                graph.edge(chainOf[from], chainOf[to], () -> first + " before " + second + " in program order (so " +
                    describeCluster(from) + " before " + describeCluster(to) + ")");
                return true;
            }
            final boolean backwards = positionInChain[from] > positionInChain[to];
            final boolean readBeforeItsWrite = from == to && writerOfCluster.get(to) == second;
            if (backwards || readBeforeItsWrite)
            {
                violations.add(where + first + " then " + second + " in program order, but " +
                    (readBeforeItsWrite ? "the first read the value the second wrote" :
                        describeCluster(from) + " comes after " + describeCluster(to) +
                        " in the order atomic updates fix"));
                return false;
            }
            return true;
        }

        /** A write's own cluster; a read's is the cluster of the write it read. */
        private int clusterOf(final Event event)
        {
            return clusterOfValue.get(event.writes() ? event.written() : event.read());
        }

        private String describeCluster(final int cluster)
        {
            return 0 == cluster ? "the initial " + INITIAL :
                "the write of " + writerOfCluster.get(cluster).written() + " (" + writerOfCluster.get(cluster) + ")";
        }

        private String describeWriter(final int cluster)
        {
            return 0 == cluster ? "nobody: the initial value" : writerOfCluster.get(cluster).toString();
        }
    }

    /** A directed graph of chains whose edges remember the first reason they were drawn. */
    private static final class Graph
    {
        private final List<Map<Integer, Supplier<String>>> out = new ArrayList<>();

        Graph(final int nodes)
        {
            for (int i = 0; i < nodes; i++)
            {
                out.add(new LinkedHashMap<>());
            }
        }

        void edge(final int from, final int to, final Supplier<String> reason)
        {
            if (from != to)
            {
                out.get(from).putIfAbsent(to, reason);
            }
        }

        /** @return the reasons of the edges of one cycle, or null if there is none. */
        List<String> findCycle()
        {
            final int n = out.size();
            final int[][] adjacency = new int[n][];
            for (int node = 0; node < n; node++)
            {
                adjacency[node] = out.get(node).keySet().stream().mapToInt(Integer::intValue).toArray();
            }
            final int[] state = new int[n]; // 0 unseen, 1 on the depth-first path, 2 done
            final int[] parent = new int[n];
            final int[] nextEdge = new int[n];
            final ArrayDeque<Integer> path = new ArrayDeque<>();
            for (int root = 0; root < n; root++)
            {
                if (state[root] != 0)
                {
                    continue;
                }
                state[root] = 1;
                parent[root] = -1;
                path.push(root);
                while (!path.isEmpty())
                {
                    final int node = path.peek();
                    if (nextEdge[node] < adjacency[node].length)
                    {
                        final int to = adjacency[node][nextEdge[node]++];
                        if (state[to] == 1)
                        {
                            return cycle(parent, node, to);
                        }
                        if (state[to] == 0)
                        {
                            state[to] = 1;
                            parent[to] = node;
                            path.push(to);
                        }
                    }
                    else
                    {
                        state[node] = 2;
                        path.pop();
                    }
                }
            }
            return null;
        }

        private List<String> cycle(final int[] parent, final int last, final int first)
        {
            final List<Integer> nodes = new ArrayList<>();
            for (int node = last; node != first; node = parent[node])
            {
                nodes.add(node);
            }
            nodes.add(first);
            Collections.reverse(nodes); // first ... last, then back to first
            final List<String> reasons = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++)
            {
                reasons.add(out.get(nodes.get(i)).get(nodes.get((i + 1) % nodes.size())).get());
            }
            return reasons;
        }
    }
}
