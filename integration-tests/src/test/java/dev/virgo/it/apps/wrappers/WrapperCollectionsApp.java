package dev.virgo.it.apps.wrappers;

import dev.virgo.it.apps.Check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Workers as real code writes them: results kept in a private list and handed out as
 * {@code Collections.unmodifiableList}, scores put into a {@code Collections.synchronizedMap} two workers share,
 * outcomes counted in an {@code EnumMap}. Two moved workers and main write between start() and join(); main reads
 * everything after join. A worker that keeps a view of a map ({@code keySet()}) runs locally instead. Run with
 * {@code offload=dev.virgo.it.apps.wrappers.*}.
 */
public class WrapperCollectionsApp
{
    static final long ORIGIN = Check.pid();
    static final int PER_WORKER = 30;

    enum Outcome
    {
        PASSED, FAILED, SKIPPED
    }

    static final class Worker implements Runnable
    {
        private final String name;
        private final List<String> results = new ArrayList<>();
        private final List<String> readOnlyResults = Collections.unmodifiableList(results);
        private final Map<String, Integer> scores;
        private final EnumMap<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        private boolean viewFollowedWrites = true;
        long ranIn;

        Worker(final String name, final Map<String, Integer> scores)
        {
            this.name = name;
            this.scores = scores;
        }

        @Override
        public void run()
        {
            for (int i = 0; i < PER_WORKER; i++)
            {
                results.add(name + i);
                scores.put(name + i, i);
                counts.merge(Outcome.values()[i % 3], 1, Integer::sum);
                viewFollowedWrites &= readOnlyResults.size() == i + 1;
            }
            ranIn = Check.pid();
        }

        List<String> results()
        {
            return readOnlyResults;
        }

        Map<Outcome, Integer> counts()
        {
            return counts;
        }
    }

    static final class KeyCounter implements Runnable
    {
        private final Set<String> keys;
        int count;
        long ranIn;

        KeyCounter(final Map<String, Integer> map)
        {
            this.keys = map.keySet();
        }

        @Override
        public void run()
        {
            count = keys.size();
            ranIn = Check.pid();
        }
    }

    static boolean moved(final long ranIn)
    {
        return ranIn != ORIGIN && ranIn != 0;
    }

    public static void main(final String[] args) throws Exception
    {
        final HashMap<String, Integer> backing = new HashMap<>();
        final Map<String, Integer> scores = Collections.synchronizedMap(backing);
        final Worker a = new Worker("a", scores);
        final Worker b = new Worker("b", scores);
        final List<String> aResults = a.results();
        final Thread ta = new Thread(a, "wrappers-a");
        final Thread tb = new Thread(b, "wrappers-b");
        ta.start();
        tb.start();
        scores.put("main", -1);
        ta.join();
        tb.join();

        Check.that("workers-moved", moved(a.ranIn) && moved(b.ranIn), a.ranIn + ", " + b.ranIn + ", origin " + ORIGIN);
        Check.that("unmodifiable-view-followed-writes-on-the-node", a.viewFollowedWrites && b.viewFollowedWrites,
            a.viewFollowedWrites + ", " + b.viewFollowedWrites);
        boolean unmodifiable = false;
        try
        {
            a.results().add("x");
        }
        catch (final UnsupportedOperationException ex)
        {
            unmodifiable = true;
        }
        Check.that("unmodifiable-view-shows-results-after-join", aResults == a.results() && unmodifiable &&
            aResults.size() == PER_WORKER && "a0".equals(aResults.get(0)) && b.results().contains("b29"),
            aResults + " " + b.results());
        Check.that("synchronized-map-keeps-every-put", scores.size() == 2 * PER_WORKER + 1 &&
            backing.size() == 2 * PER_WORKER + 1 && backing.get("a29") == 29 && backing.get("b0") == 0 &&
            backing.get("main") == -1, scores.size() + " entries, backing " + backing.size() + ": " + backing.keySet());
        final EnumMap<Outcome, Integer> total = new EnumMap<>(Outcome.class);
        for (final Worker worker : List.of(a, b))
        {
            worker.counts().forEach((outcome, n) -> total.merge(outcome, n, Integer::sum));
        }
        Check.that("enum-map-counts", total.equals(Map.of(Outcome.PASSED, 20, Outcome.FAILED, 20, Outcome.SKIPPED, 20)) &&
            a.counts() instanceof EnumMap, total);

        final KeyCounter counter = new KeyCounter(backing);
        final Thread tc = new Thread(counter, "key-counter");
        tc.start();
        tc.join();
        Check.that("map-view-runs-locally", counter.ranIn == ORIGIN && counter.count == 2 * PER_WORKER + 1,
            counter.ranIn + " " + counter.count);
        System.out.println("DONE");
    }
}
