package dev.virgo.runtime.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Writes into a live JDK collection or map what one moved thread changed in its copy of it, relative to the
 * copy's state at start() (the baseline), so that what other threads (the origin's own, or moved threads merged
 * earlier) wrote to the same container since start() survives, as it would with local threads.
 * <p>
 * Elements are compared across the three versions by token: a value (String, boxed primitive, enum...) by its
 * content, a snapshot object by its snapshot index (the live side finds it by the identity of its original),
 * anything else (created by the thread, or added by someone else) never matches. What the thread changed is
 * applied through the container's own API, in place, so a TreeMap keeps its comparator, a LinkedHashMap its order
 * and a ConcurrentHashMap its atomic single-key operations; keys and elements that are snapshot copies become
 * their originals, new objects are adopted.
 * <ul>
 * <li><b>Maps</b>: keys the thread removed are removed, keys it added or whose value it replaced are put (after
 * the removals, in the order of the thread's copy, so a LinkedHashMap appends new keys in that order).</li>
 * <li><b>Lists</b>: three-way merge of the baseline, the thread's copy and the live list, both changes found by a
 * sequence diff ({@link SequenceDiff}): an element the thread set is set where that element now is, elements it
 * removed are removed, elements it inserted are inserted before the element they preceded, and appends are
 * appended after whatever others appended. A list changed beyond what the diff can follow is written whole,
 * with a warning when someone else changed it too.</li>
 * <li><b>Sets and other collections</b> (queues, deques, bags): a multiset delta. Occurrences the thread
 * removed are removed (the first equal occurrence: for a queue, the element the thread took); occurrences it
 * added are added, in the order of its copy. A queue's additions go to its tail; a {@link Deque}'s additions
 * that precede, in the thread's copy, every element it kept from the baseline were pushed at the head, and are
 * pushed at the head of the live deque in the same order. A priority queue orders them itself.</li>
 * </ul>
 * Conflicts: where the thread changed a key, position or element that is no longer at its baseline state in the
 * live container (someone else changed it since start()), the thread's write is applied (last writer wins, as
 * for fields) and the conflict is reported: {@link #warning(String)} gives one line per merge, naming each
 * container class, its first conflicting key or position, and the thread. A set has no conflicts: adding or
 * removing an element twice gives one result whoever does it. Containers the thread cannot change (List.of,
 * unmodifiable views) have the same content at both ends and are never written.
 */
final class ContainerMerger
{
    /** Insertions plus deletions a list diff may find before the list is written whole (memory grows with its square). */
    static final int MAX_LIST_EDITS = 1024;
    private static final int MAX_DESCRIBED_CHARS = 40;

    private final ElementTokens tokens;
    private final UnaryOperator<Object> translate;
    private final IdentityHashMap<Object, Conflicts> conflicts = new IdentityHashMap<>();
    private final ArrayList<Conflicts> conflictOrder = new ArrayList<>();
    private final ArrayList<String> writtenWhole = new ArrayList<>();

    /**
     * @param translate turns a value of the thread's copy into what the live graph holds: a snapshot copy into its
     *                  original, a new object into itself, adopted.
     */
    ContainerMerger(final ElementTokens tokens, final UnaryOperator<Object> translate)
    {
        this.tokens = tokens;
        this.translate = translate;
    }

    /** True when the thread left the container's content as it was at start(). */
    boolean sameContent(final Object baseline, final Object fin)
    {
        if (baseline instanceof List && fin instanceof List)
        {
            final List<?> b = (List<?>)baseline;
            final List<?> f = (List<?>)fin;
            if (b.size() != f.size())
            {
                return false;
            }
            final Iterator<?> bi = b.iterator();
            final Iterator<?> fi = f.iterator();
            while (bi.hasNext())
            {
                if (!tokens.baseline(bi.next()).equals(tokens.fin(fi.next())))
                {
                    return false;
                }
            }
            return true;
        }
        if (baseline instanceof Collection && fin instanceof Collection)
        {
            return tokens.baselineCounts((Collection<?>)baseline).equals(tokens.finalCounts((Collection<?>)fin));
        }
        if (baseline instanceof Map && fin instanceof Map)
        {
            return tokens.baselineEntries((Map<?, ?>)baseline).equals(tokens.finalEntries((Map<?, ?>)fin));
        }
        return false;
    }

    /** Writes what the thread changed, from {@code baseline} to {@code fin}, into {@code live}. */
    @SuppressWarnings("unchecked")
    void merge(final Object live, final Object baseline, final Object fin)
    {
        if (live instanceof Map)
        {
            mergeMap((Map<Object, Object>)live, (Map<?, ?>)baseline, (Map<?, ?>)fin);
        }
        else if (live instanceof List)
        {
            new ListMerge(this, tokens, (List<Object>)live, (List<?>)baseline, (List<?>)fin).apply();
        }
        else
        {
            mergeCollection((Collection<Object>)live, (Collection<?>)baseline, (Collection<?>)fin);
        }
    }

    /**
     * A container the thread created joins the live graph: elements that are snapshot copies are replaced by
     * their originals (a list position by position; a set or map is refilled, as the originals hash differently).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void attach(final Object created)
    {
        if (created instanceof List)
        {
            final List list = (List)created;
            for (int j = 0; j < list.size(); j++)
            {
                final Object value = list.get(j);
                final Object translated = translate.apply(value);
                if (translated != value)
                {
                    list.set(j, translated);
                }
            }
        }
        else if (created instanceof Collection)
        {
            final Collection collection = (Collection)created;
            final ArrayList<Object> content = new ArrayList<>(collection.size());
            for (final Object element : collection)
            {
                content.add(translate.apply(element));
            }
            collection.clear();
            collection.addAll(content);
        }
        else
        {
            final Map<Object, Object> map = (Map<Object, Object>)created;
            final ArrayList<Object> content = new ArrayList<>(map.size() * 2);
            for (final Map.Entry<Object, Object> entry : map.entrySet())
            {
                content.add(translate.apply(entry.getKey()));
                content.add(translate.apply(entry.getValue()));
            }
            map.clear();
            for (int j = 0; j < content.size(); j += 2)
            {
                map.put(content.get(j), content.get(j + 1));
            }
        }
    }

    /** The one warning of this merge, or null when every container merged without conflict. */
    String warning(final String thread)
    {
        if (conflictOrder.isEmpty() && writtenWhole.isEmpty())
        {
            return null;
        }
        final StringBuilder text = new StringBuilder(thread);
        if (!conflictOrder.isEmpty())
        {
            text.append(" changed what another thread also changed since start(); the moved thread's writes were " +
                "kept (last writer wins): ");
            for (int i = 0; i < conflictOrder.size(); i++)
            {
                final Conflicts c = conflictOrder.get(i);
                text.append(i == 0 ? "" : ", ").append(c.containerClass).append(' ').append(c.first);
                if (c.count > 1)
                {
                    text.append(" (and ").append(c.count - 1).append(" more)");
                }
            }
        }
        if (!writtenWhole.isEmpty())
        {
            text.append(conflictOrder.isEmpty() ? "" : "; and it").append(" changed ")
                .append(String.join(", ", writtenWhole))
                .append(" too much to merge by change while another thread changed it too: its whole content was " +
                    "written, other threads' writes to it since start() are lost");
        }
        return text.toString();
    }

    void conflict(final Object container, final String where)
    {
        Conflicts c = conflicts.get(container);
        if (c == null)
        {
            c = new Conflicts(container.getClass().getName(), where);
            conflicts.put(container, c);
            conflictOrder.add(c);
        }
        c.count++;
    }

    void writtenWhole(final Object container)
    {
        writtenWhole.add(container.getClass().getName());
    }

    Object translate(final Object value)
    {
        return translate.apply(value);
    }

    private void mergeMap(final Map<Object, Object> live, final Map<?, ?> baseline, final Map<?, ?> fin)
    {
        final HashMap<Object, Map.Entry<?, ?>> unmatched = new HashMap<>(); // baseline entries by key token
        for (final Map.Entry<?, ?> entry : baseline.entrySet())
        {
            unmatched.put(tokens.baseline(entry.getKey()), entry);
        }
        final ArrayList<Map.Entry<?, ?>> puts = new ArrayList<>();
        final ArrayList<Object> putBaselineValues = new ArrayList<>();
        for (final Map.Entry<?, ?> entry : fin.entrySet())
        {
            final Map.Entry<?, ?> before = unmatched.remove(tokens.fin(entry.getKey()));
            if (before == null || !tokens.baseline(before.getValue()).equals(tokens.fin(entry.getValue())))
            {
                puts.add(entry);
                putBaselineValues.add(before == null ? Absent.ABSENT : tokens.baseline(before.getValue()));
            }
        }
        for (final Map.Entry<?, ?> removed : unmatched.values())
        {
            final Object key = tokens.originalOf(removed.getKey());
            if (live.containsKey(key))
            {
                if (!tokens.live(live.get(key)).equals(tokens.baseline(removed.getValue())))
                {
                    conflict(live, "key " + describe(key));
                }
                live.remove(key);
            }
        }
        for (int i = 0; i < puts.size(); i++)
        {
            final Map.Entry<?, ?> entry = puts.get(i);
            final Object key = translate(entry.getKey());
            final Object written = tokens.fin(entry.getValue());
            final Object before = putBaselineValues.get(i);
            final boolean present = live.containsKey(key);
            final Object current = present ? tokens.live(live.get(key)) : Absent.ABSENT;
            if (current.equals(written))
            {
                continue; // someone else already wrote the same
            }
            if (!current.equals(before))
            {
                conflict(live, "key " + describe(key));
            }
            live.put(key, translate(entry.getValue()));
        }
    }

    private void mergeCollection(final Collection<Object> live, final Collection<?> baseline, final Collection<?> fin)
    {
        final HashMap<Object, Integer> unmatched = tokens.baselineCounts(baseline);
        final ArrayList<Object> head = new ArrayList<>();
        final ArrayList<Object> tail = new ArrayList<>();
        boolean keptAny = false;
        for (final Object element : fin)
        {
            if (take(unmatched, tokens.fin(element)))
            {
                keptAny = true;
            }
            else
            {
                (keptAny ? tail : head).add(element);
            }
        }
        // What is left unmatched of the baseline, the thread removed: the first occurrences, in baseline order.
        for (final Object element : baseline)
        {
            if (take(unmatched, tokens.baseline(element)) && !live.remove(tokens.originalOf(element)) && !(live instanceof Set))
            {
                conflict(live, "element " + describe(element) + " (taken by another thread too)");
            }
        }
        if (keptAny && live instanceof Deque)
        {
            final Deque<Object> deque = (Deque<Object>)live;
            for (int j = head.size() - 1; j >= 0; j--)
            {
                deque.addFirst(translate(head.get(j)));
            }
        }
        else
        {
            tail.addAll(0, head);
        }
        for (final Object element : tail)
        {
            live.add(translate(element));
        }
    }

    private static boolean take(final HashMap<Object, Integer> counts, final Object token)
    {
        final Integer count = counts.get(token);
        if (count == null)
        {
            return false;
        }
        if (count == 1)
        {
            counts.remove(token);
        }
        else
        {
            counts.put(token, count - 1);
        }
        return true;
    }

    /** A key or element for a warning, without running application code (no toString of application objects). */
    static String describe(final Object value)
    {
        if (value == null)
        {
            return "null";
        }
        if (!GraphTypes.isValue(value))
        {
            return value.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(value));
        }
        final String text = String.valueOf(value);
        final String cut = text.length() > MAX_DESCRIBED_CHARS ? text.substring(0, MAX_DESCRIBED_CHARS) + "..." : text;
        return value instanceof String ? "\"" + cut + "\"" : cut;
    }

    /** A key with no entry, distinct from a key mapped to null. */
    private enum Absent
    {
        ABSENT
    }

    private static final class Conflicts
    {
        final String containerClass;
        final String first;
        int count;

        Conflicts(final String containerClass, final String first)
        {
            this.containerClass = containerClass;
            this.first = first;
        }
    }
}
