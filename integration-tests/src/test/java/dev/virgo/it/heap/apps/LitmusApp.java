package dev.virgo.it.heap.apps;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.api.heap.SharedHeap;
import dev.virgo.api.heap.SharedLongArray;
import dev.virgo.api.heap.SharedMemory;
import dev.virgo.it.apps.Check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Litmus tests of sequential consistency over three JVMs: message passing, store buffering, load buffering,
 * independent reads of independent writes and coherence of one location (CoRR), each run at least
 * {@code iterations} times (first argument, 10,000 by default), counting the outcomes SC forbids: there must be none.
 *
 * <p><b>Where things are.</b> Memory is homed on all three members: the origin allocates one slab, and two moved
 * threads started back to back (so on the two nodes) allocate one each; each shape's locations come from two
 * different slabs. Each shape runs in segments that place its roles differently: at the origin (a thread of a class
 * not chosen to move) or moved to a node; over its segments every shape has threads in all three JVMs, which the pids
 * the threads record prove.
 *
 * <p><b>Iterations.</b> Iteration {@code i} uses fresh locations, element {@code i} of the shape's arrays, so nothing
 * is reset or freed between iterations. A {@link Pacer} starts the roles' iterations at the same instants (one every
 * {@code period} microseconds, second argument, 300 by default; the roles meet once per batch of iterations, third
 * argument, 250) so that they race; a barrier per iteration would not (see there). Neighbouring iterations share
 * pages, so a reader mostly holds a copy of the page a writer writes, and every write must invalidate it first. Each
 * role keeps what it saw per iteration in its own array, which comes back to the origin with the join write-back; the
 * origin tallies the outcomes, and counts those only roles that overlapped in time can produce: if there were none,
 * the run tested nothing, and fails.
 */
public final class LitmusApp
{
    static final int MP = 0;
    static final int SB = 1;
    static final int LB = 2;
    static final int IRIW = 3;
    static final int CORR = 4;
    private static final Duration BARRIER_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SEGMENT_TIMEOUT = Duration.ofSeconds(60);
    private static final int ARRAYS_PER_SLAB = 4;

    private LitmusApp()
    {
    }

    /** A litmus shape: its roles, how its segments place them, which slabs hold x and y, what SC forbids. */
    private enum Shape
    {
        MESSAGE_PASSING("mp", MP, 2, new int[][] {{1, 0}, {2, 0}},
            "writer: x = 1; y = 1 || reader: r1 = y; r2 = x. Forbidden: r1 = 1, r2 = 0",
            "LM", "ML", "MM"),
        STORE_BUFFERING("sb", SB, 2, new int[][] {{0, 0}, {1, 1}},
            "x = 1; r0 = y || y = 1; r1 = x. Forbidden: r0 = r1 = 0",
            "MM", "LM", "ML"),
        LOAD_BUFFERING("lb", LB, 2, new int[][] {{2, 1}, {0, 1}},
            "r0 = y; x = 1 || r1 = x; y = 1. Forbidden: r0 = r1 = 1",
            "MM", "LM", "ML"),
        INDEPENDENT_READS("iriw", IRIW, 4, new int[][] {{1, 2}, {2, 2}},
            "x = 1 || y = 1 || r1 = x; r2 = y || r3 = y; r4 = x. Forbidden: r1 = 1, r2 = 0, r3 = 1, r4 = 0",
            "LMMM", "MMLM"),
        COHERENCE_RR("corr", CORR, 2, new int[][] {{0, 2}, {1, 3}},
            "x = 1; y = 1; x = 2 || r1 = x; r2 = x. Forbidden: r2 older than r1 (y, on another member, only widens " +
                "the window in which x is 1)",
            "MM", "LM", "ML");

        final String check;
        final int code;
        final int roles;
        /** {slab, array in slab} of x and of y. */
        final int[][] locations;
        final String description;
        final String[] segments;

        Shape(final String check, final int code, final int roles, final int[][] locations, final String description,
            final String... segments)
        {
            this.check = check;
            this.code = code;
            this.roles = roles;
            this.locations = locations;
            this.description = description;
            this.segments = segments;
        }

        /** @param seen what each role returned in one iteration (writers return 0). */
        boolean forbidden(final long[] seen)
        {
            switch (this)
            {
                case MESSAGE_PASSING: return seen[1] == 2;                     // y = 1 but x = 0
                case STORE_BUFFERING: return seen[0] == 0 && seen[1] == 0;
                case LOAD_BUFFERING: return seen[0] == 1 && seen[1] == 1;
                case INDEPENDENT_READS: return seen[2] == 2 && seen[3] == 2;   // x before y, and y before x
                case COHERENCE_RR: return seen[1] % 3 < seen[1] / 3;           // r2 < r1
                default: throw new IllegalStateException(name());
            }
        }

        /** @return true for an outcome only threads that overlapped in time can produce. */
        boolean raced(final long[] seen)
        {
            switch (this)
            {
                case MESSAGE_PASSING: return seen[1] == 1;                     // y = 0 but x = 1: between the writes
                case STORE_BUFFERING: return seen[0] == 1 && seen[1] == 1;
                case LOAD_BUFFERING: return seen[0] == 0 && seen[1] == 0;
                case INDEPENDENT_READS: return sawOneWrite(seen[2]) || sawOneWrite(seen[3]);
                case COHERENCE_RR: return seen[1] / 3 != seen[1] % 3 || seen[1] == 4; // r1 != r2, or both 1
                default: throw new IllegalStateException(name());
            }
        }

        /** An IRIW reader that saw one write and not the other read between the two writes. */
        private static boolean sawOneWrite(final long reader)
        {
            return reader == 1 || reader == 2;
        }

        String outcome(final long[] seen)
        {
            switch (this)
            {
                case MESSAGE_PASSING: return "r1=" + seen[1] / 2 + " r2=" + seen[1] % 2;
                case STORE_BUFFERING:
                case LOAD_BUFFERING: return "r0=" + seen[0] + " r1=" + seen[1];
                case INDEPENDENT_READS:
                    return "r1=" + seen[2] / 2 + " r2=" + seen[2] % 2 + " r3=" + seen[3] / 2 + " r4=" + seen[3] % 2;
                case COHERENCE_RR: return "r1=" + seen[1] / 3 + " r2=" + seen[1] % 3;
                default: throw new IllegalStateException(name());
            }
        }
    }

    /** One role of one segment of a shape; what it saw in iteration {@code from + j} is {@code seen[j]}. */
    static final class Role extends Party
    {
        private final int shape;
        private final int role;
        private final SharedLongArray x;
        private final SharedLongArray y;
        private final int from;
        private final int to;
        private final Pacer pacer;
        long[] seen;
        int late;

        Role(final Parties parties, final String name, final int shape, final int role, final SharedLongArray x,
            final SharedLongArray y, final int from, final int to, final Pacer pacer)
        {
            super(name, parties);
            this.shape = shape;
            this.role = role;
            this.x = x;
            this.y = y;
            this.from = from;
            this.to = to;
            this.pacer = pacer;
        }

        @Override
        protected void body()
        {
            final long[] results = new long[to - from];
            long batchStartNs = 0;
            for (int i = from; i < to; i++)
            {
                final int j = i - from;
                if (pacer.beginsBatch(j))
                {
                    batchStartNs = pacer.startBatch(name, 0 == role, j);
                }
                if (pacer.awaitIteration(batchStartNs, j) > pacer.periodNs() / 2)
                {
                    late++;
                }
                results[j] = step(i);
            }
            seen = results;
        }

        @Override
        protected void onFailure()
        {
            pacer.breakIt();
        }

        private long step(final int i)
        {
            switch (shape)
            {
                case MP:
                    if (0 == role)
                    {
                        x.set(i, 1);
                        y.set(i, 1);
                        return 0;
                    }
                    final long flag = y.get(i);
                    return flag * 2 + x.get(i);
                case SB:
                    if (0 == role)
                    {
                        x.set(i, 1);
                        return y.get(i);
                    }
                    y.set(i, 1);
                    return x.get(i);
                case LB:
                    final long r;
                    if (0 == role)
                    {
                        r = y.get(i);
                        x.set(i, 1);
                    }
                    else
                    {
                        r = x.get(i);
                        y.set(i, 1);
                    }
                    return r;
                case IRIW:
                    switch (role)
                    {
                        case 0: x.set(i, 1); return 0;
                        case 1: y.set(i, 1); return 0;
                        case 2:
                            final long r1 = x.get(i);
                            return r1 * 2 + y.get(i);
                        default:
                            final long r3 = y.get(i);
                            return r3 * 2 + x.get(i);
                    }
                case CORR:
                    if (0 == role)
                    {
                        x.set(i, 1);
                        y.set(i, 1);
                        x.set(i, 2);
                        return 0;
                    }
                    final long first = x.get(i);
                    return first * 3 + x.get(i);
                default:
                    throw new IllegalStateException("shape " + shape);
            }
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        final Duration period = Duration.ofNanos(1_000L * (args.length > 1 ? Integer.parseInt(args[1]) : 300));
        final int batch = args.length > 2 ? Integer.parseInt(args[2]) : 250;
        final long openStartNs = System.nanoTime();
        final SharedMemory memory = SharedHeap.memory();
        System.out.println("heap open in " + (System.nanoTime() - openStartNs) / 1_000_000 + " ms; " + iterations +
            " iterations per shape, one every " + period.toNanos() / 1_000 + " us in batches of " + batch);
        final Parties parties = new Parties(memory, 64);

        final int maxPerShape = Math.max(perSegment(iterations, 2) * 2, perSegment(iterations, 3) * 3);
        final long strideBytes = roundUp((long)maxPerShape * Long.BYTES, memory.pageSizeBytes());
        final long[] slabs = Allocation.onEveryMember(memory, parties, strideBytes * ARRAYS_PER_SLAB);
        if (null == slabs)
        {
            return;
        }

        boolean allPassed = true;
        for (final Shape shape : Shape.values())
        {
            allPassed &= run(shape, memory, parties, slabs, strideBytes, iterations, period, batch);
        }
        parties.checkRanInJvms("threads-in-three-jvms", 3);
        System.out.println(allPassed ? "DONE" : "DONE with failures");
    }

    private static boolean run(final Shape shape, final SharedMemory memory, final Parties parties, final long[] slabs,
        final long strideBytes, final int iterations, final Duration period, final int batch)
        throws InterruptedException
    {
        final long startNs = System.nanoTime();
        final int perSegment = perSegment(iterations, shape.segments.length);
        final int length = perSegment * shape.segments.length;
        final SharedLongArray x = SharedLongArray.at(memory,
            slabs[shape.locations[0][0]] + shape.locations[0][1] * strideBytes, length);
        final SharedLongArray y = SharedLongArray.at(memory,
            slabs[shape.locations[1][0]] + shape.locations[1][1] * strideBytes, length);
        final Map<String, Integer> outcomes = new TreeMap<>();
        final List<Role> everyRole = new ArrayList<>();
        int forbidden = 0;
        int raced = 0;
        int done = 0;
        long late = 0;
        String firstForbidden = null;
        for (int s = 0; s < shape.segments.length; s++)
        {
            final String placements = shape.segments[s];
            final int from = s * perSegment;
            final Pacer pacer = Pacer.create(memory, shape.roles, perSegment, batch, period, BARRIER_TIMEOUT);
            final Role[] roles = new Role[shape.roles];
            for (int r = 0; r < shape.roles; r++)
            {
                roles[r] = new Role(parties, shape.check + "-" + placements + "-role" + r, shape.code, r, x, y, from,
                    from + perSegment, pacer);
                everyRole.add(roles[r]);
            }
            // Moved roles first and back to back, in role order, so that they spread over both nodes.
            for (final Placement placement : new Placement[] {Placement.MOVED, Placement.LOCAL})
            {
                for (int r = 0; r < shape.roles; r++)
                {
                    if (placement == (placements.charAt(r) == 'M' ? Placement.MOVED : Placement.LOCAL))
                    {
                        parties.start(roles[r], placement);
                    }
                }
            }
            if (!parties.joinAll(shape.check + " segment " + placements, SEGMENT_TIMEOUT))
            {
                return false;
            }
            final long[] seen = new long[shape.roles];
            for (int j = 0; j < perSegment; j++)
            {
                for (int r = 0; r < shape.roles; r++)
                {
                    seen[r] = roles[r].seen[j];
                }
                outcomes.merge(shape.outcome(seen), 1, Integer::sum);
                if (shape.forbidden(seen))
                {
                    forbidden++;
                    if (null == firstForbidden)
                    {
                        firstForbidden = "iteration " + (from + j) + " (" + placements + "): " + shape.outcome(seen) +
                            " " + Arrays.toString(seen);
                    }
                }
                raced += shape.raced(seen) ? 1 : 0;
                done++;
            }
            for (final Role role : roles)
            {
                late += role.late;
            }
        }
        final Set<Long> pids = Parties.pidsOf(everyRole);
        System.out.println("LITMUS " + shape.check + " [" + shape.description + "] x at " +
            GlobalAddress.toString(x.address()) + ", y at " + GlobalAddress.toString(y.address()) + ": " + done +
            " iterations in " + (System.nanoTime() - startNs) / 1_000_000 + " ms over pids " + pids + ", outcomes " +
            outcomes + ", raced " + raced + ", late starts " + late + ", forbidden " + forbidden);
        Check.that("litmus-" + shape.check, forbidden == 0 && done >= iterations,
            forbidden + " of " + done + " iterations showed an outcome SC forbids; first: " + firstForbidden);
        Check.that("litmus-" + shape.check + "-in-three-jvms", pids.size() >= 3, "threads ran in pids " + pids);
        Check.that("litmus-" + shape.check + "-raced", raced > 0,
            "no iteration showed an outcome that needs the roles to overlap in time: the test tested nothing");
        return forbidden == 0;
    }

    private static int perSegment(final int iterations, final int segments)
    {
        return (iterations + segments - 1) / segments;
    }

    private static long roundUp(final long bytes, final int unit)
    {
        return (bytes + unit - 1) / unit * unit;
    }
}
