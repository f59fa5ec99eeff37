package dev.virgo.it.apps.containers;

import dev.virgo.it.apps.Check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Two moved threads and main write one container between start() and join(), as fork/join code does: every
 * writer's keys and elements must be there after both joins. Run with
 * {@code offload=dev.virgo.it.apps.containers.*}. Prints {@code CONFLICT-WINNER <thread>} for the IT, which
 * checks that the one warning names that thread.
 */
public class ContainerMergeApp
{
    static final long ORIGIN = Check.pid();
    static final int PER_THREAD = 50;

    static final class MapPutter implements Runnable
    {
        private final Map<String, Integer> map;
        private final String prefix;
        long ranIn;

        MapPutter(final Map<String, Integer> map, final String prefix)
        {
            this.map = map;
            this.prefix = prefix;
        }

        @Override
        public void run()
        {
            for (int i = 0; i < PER_THREAD; i++)
            {
                map.put(prefix + i, i);
            }
            ranIn = Check.pid();
        }
    }

    static final class SetAdder implements Runnable
    {
        private final Set<String> set;
        private final String prefix;
        long ranIn;

        SetAdder(final Set<String> set, final String prefix)
        {
            this.set = set;
            this.prefix = prefix;
        }

        @Override
        public void run()
        {
            for (int i = 0; i < PER_THREAD; i++)
            {
                set.add(prefix + i);
            }
            ranIn = Check.pid();
        }
    }

    static final class ListAppender implements Runnable
    {
        private final List<String> list;
        private final String prefix;
        long ranIn;

        ListAppender(final List<String> list, final String prefix)
        {
            this.list = list;
            this.prefix = prefix;
        }

        @Override
        public void run()
        {
            for (int i = 0; i < PER_THREAD; i++)
            {
                list.add(prefix + i);
            }
            ranIn = Check.pid();
        }
    }

    static final class Remover implements Runnable
    {
        private final Map<String, Integer> map;
        private final List<String> list;
        private final Set<String> set;
        long ranIn;

        Remover(final Map<String, Integer> map, final List<String> list, final Set<String> set)
        {
            this.map = map;
            this.list = list;
            this.set = set;
        }

        @Override
        public void run()
        {
            map.remove("drop");
            list.remove("drop");
            set.remove("drop");
            ranIn = Check.pid();
        }
    }

    static final class ConflictingPutter implements Runnable
    {
        private final Map<String, String> map;
        private final String name;
        long ranIn;

        ConflictingPutter(final Map<String, String> map, final String name)
        {
            this.map = map;
            this.name = name;
        }

        @Override
        public void run()
        {
            map.put("shared", name);
            map.put("own-" + name, name);
            ranIn = Check.pid();
        }
    }

    static boolean movedAll(final long... ranIn)
    {
        for (final long pid : ranIn)
        {
            if (pid == ORIGIN || pid == 0)
            {
                return false;
            }
        }
        return true;
    }

    static void concurrentMap() throws InterruptedException
    {
        final ConcurrentHashMap<String, Integer> map = new ConcurrentHashMap<>();
        final MapPutter a = new MapPutter(map, "a");
        final MapPutter b = new MapPutter(map, "b");
        final Thread ta = new Thread(a, "map-putter-a");
        final Thread tb = new Thread(b, "map-putter-b");
        ta.start();
        tb.start();
        map.put("main", -1);
        ta.join();
        tb.join();
        Check.that("map-putters-moved", movedAll(a.ranIn, b.ranIn), a.ranIn + ", " + b.ranIn + ", origin " + ORIGIN);
        Check.that("concurrent-map-keeps-every-put", map.size() == 2 * PER_THREAD + 1 && map.get("a49") == 49 &&
            map.get("b0") == 0 && map.get("main") == -1, map.size() + " entries: " + map.keySet());
    }

    static void hashSet() throws InterruptedException
    {
        final HashSet<String> set = new HashSet<>();
        final SetAdder a = new SetAdder(set, "a");
        final SetAdder b = new SetAdder(set, "b");
        final Thread ta = new Thread(a, "set-adder-a");
        final Thread tb = new Thread(b, "set-adder-b");
        ta.start();
        tb.start();
        set.add("main");
        ta.join();
        tb.join();
        Check.that("set-adders-moved", movedAll(a.ranIn, b.ranIn), a.ranIn + ", " + b.ranIn);
        Check.that("hash-set-keeps-every-add", set.size() == 2 * PER_THREAD + 1 && set.contains("a0") &&
            set.contains("b49") && set.contains("main"), set.size() + " elements: " + set);
    }

    static void arrayList() throws InterruptedException
    {
        final ArrayList<String> list = new ArrayList<>();
        final ListAppender a = new ListAppender(list, "a");
        final ListAppender b = new ListAppender(list, "b");
        final Thread ta = new Thread(a, "list-appender-a");
        final Thread tb = new Thread(b, "list-appender-b");
        ta.start();
        tb.start();
        list.add("main");
        ta.join();
        tb.join();
        Check.that("list-appenders-moved", movedAll(a.ranIn, b.ranIn), a.ranIn + ", " + b.ranIn);
        boolean inOrder = true;
        for (int i = 1; i < PER_THREAD; i++)
        {
            inOrder &= list.indexOf("a" + (i - 1)) < list.indexOf("a" + i) &&
                list.indexOf("b" + (i - 1)) < list.indexOf("b" + i);
        }
        Check.that("array-list-keeps-every-append", list.size() == 2 * PER_THREAD + 1 && list.contains("a49") &&
            list.contains("b49") && list.contains("main") && inOrder, list.size() + " elements: " + list);
    }

    static void removal() throws InterruptedException
    {
        final HashMap<String, Integer> map = new HashMap<>(Map.of("keep", 1, "drop", 2));
        final ArrayList<String> list = new ArrayList<>(List.of("keep", "drop"));
        final HashSet<String> set = new HashSet<>(Set.of("keep", "drop"));
        final Remover remover = new Remover(map, list, set);
        final Thread thread = new Thread(remover, "remover");
        thread.start();
        map.put("main", 3);
        list.add("main");
        set.add("main");
        thread.join();
        Check.that("remover-moved", movedAll(remover.ranIn), remover.ranIn);
        Check.that("removal-lands-beside-mains-writes", map.equals(Map.of("keep", 1, "main", 3)) &&
            list.equals(List.of("keep", "main")) && set.equals(Set.of("keep", "main")), map + " " + list + " " + set);
    }

    /**
     * Two threads put one key of a plain HashMap without synchronizing: a race, whose merge keeps one write and warns.
     * (Into a ConcurrentHashMap the two puts would be made at the origin one after the other, as concurrentMap()'s are,
     * and there would be nothing to merge.)
     */
    static void conflict() throws InterruptedException
    {
        final HashMap<String, String> map = new HashMap<>();
        final ConflictingPutter one = new ConflictingPutter(map, "conflict-1");
        final ConflictingPutter two = new ConflictingPutter(map, "conflict-2");
        final Thread t1 = new Thread(one, "conflict-1");
        final Thread t2 = new Thread(two, "conflict-2");
        t1.start();
        t2.start();
        t1.join();
        t2.join();
        Check.that("conflicting-putters-moved", movedAll(one.ranIn, two.ranIn), one.ranIn + ", " + two.ranIn);
        Check.that("conflict-keeps-both-own-keys", "conflict-1".equals(map.get("own-conflict-1")) &&
            "conflict-2".equals(map.get("own-conflict-2")) && map.size() == 3, map);
        System.out.println("CONFLICT-WINNER " + map.get("shared"));
    }

    public static void main(final String[] args) throws Exception
    {
        concurrentMap();
        hashSet();
        arrayList();
        removal();
        conflict();
        System.out.println("DONE");
    }
}
