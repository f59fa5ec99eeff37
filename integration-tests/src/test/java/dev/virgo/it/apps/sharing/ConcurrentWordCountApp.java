package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Word counts in a shared {@code ConcurrentHashMap}: four workers each count 200 words of their own text with
 * {@code merge(word, 1, Integer::sum)}, most words appearing in every text. Each then waits until the map's counts add
 * up to every worker's words.
 */
public final class ConcurrentWordCountApp
{
    static final int WORKERS = 4;
    static final int WORDS = 200;
    static final String[] VOCABULARY = {
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was"};
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Counter implements Runnable
    {
        private final ConcurrentHashMap<String, Integer> counts;
        private final String[] text;
        long ranIn;
        boolean sawAll;

        Counter(final ConcurrentHashMap<String, Integer> counts, final String[] text)
        {
            this.counts = counts;
            this.text = text;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            for (final String word : text)
            {
                counts.merge(word, 1, Integer::sum);
            }
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (!sawAll && System.nanoTime() - giveUpAt < 0)
            {
                int total = 0;
                for (final int count : counts.values())
                {
                    total += count;
                }
                sawAll = total == WORKERS * WORDS;
                Thread.yield();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();
        final Counter[] counters = new Counter[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int w = 0; w < WORKERS; w++)
        {
            final String[] text = new String[WORDS];
            for (int i = 0; i < WORDS; i++)
            {
                text[i] = VOCABULARY[(w * 7 + i * i) % VOCABULARY.length];
            }
            counters[w] = new Counter(counts, text);
            threads[w] = new Thread(counters[w], "counter-" + w);
            threads[w].start();
        }
        Report.joinAll(threads);

        boolean allSawAll = true;
        for (int w = 0; w < WORKERS; w++)
        {
            Report.ran(threads[w].getName(), counters[w].ranIn);
            allSawAll &= counters[w].sawAll;
        }
        final Map<String, Integer> sorted = new TreeMap<>(counts);
        Report.result("counts=" + sorted + " allSawAll=" + allSawAll);
    }
}
