package dev.virgo.it.apps;

import java.util.Arrays;

/**
 * The start/join contract, point by point: statics as of start() or later, write-back of only what changed (fields, array
 * elements, statics), disjoint writers, a graph larger than one Aeron message, join(ms)/isAlive/getState, names,
 * interrupt, output in order, classes loaded on demand. Run with {@code offload=dev.virgo.it.apps.ContractApp*}.
 */
public final class ContractApp
{
    static int factor = 1;
    static final int[] SHARED_TABLE = new int[8];
    static String lastWriter = "main";

    static final class Scaler implements Runnable
    {
        final int[] data;
        final int from;
        final int to;
        int seenFactor;
        int untouchedByThread;
        String touchedByThread = "before";
        long ranIn;

        Scaler(final int[] data, final int from, final int to)
        {
            this.data = data;
            this.from = from;
            this.to = to;
        }

        @Override
        public void run()
        {
            seenFactor = factor; // read once: main writes it again, racing, and statics are shared while this runs
            for (int i = from; i < to; i++)
            {
                data[i] = i * seenFactor;
            }
            SHARED_TABLE[from / 4] = seenFactor;
            touchedByThread = "after";
            ranIn = Check.pid();
        }
    }

    static final class Sleeper extends Thread
    {
        boolean sawInterrupt;
        String nameOnNode;
        long ranIn;

        Sleeper(final String name)
        {
            super(name);
        }

        @Override
        public void run()
        {
            nameOnNode = Thread.currentThread().getName();
            ranIn = Check.pid();
            try
            {
                Thread.sleep(60_000);
            }
            catch (final InterruptedException ex)
            {
                sawInterrupt = true;
            }
        }
    }

    static final class Printer implements Runnable
    {
        @Override
        public void run()
        {
            for (int i = 0; i < 50; i++)
            {
                System.out.println("remote line " + i);
            }
            System.err.println("remote error line");
            lastWriter = "printer";
        }
    }

    static final class Big implements Runnable
    {
        final long[] values = new long[1 << 20];

        @Override
        public void run()
        {
            for (int i = 0; i < values.length; i++)
            {
                values[i] = values[i] * 2 + 1;
            }
        }
    }

    static final class LoadsOnDemand implements Runnable
    {
        String loaded;

        @Override
        public void run()
        {
            try
            {
                loaded = Class.forName("dev.virgo.it.apps.OnlyNamedAtRuntime").getDeclaredConstructor()
                    .newInstance().toString();
            }
            catch (final ReflectiveOperationException ex)
            {
                loaded = ex.toString();
            }
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final long origin = Check.pid();

        // Statics as of start(), two threads writing disjoint halves of one array, only changed fields written back.
        factor = 3;
        final int[] data = new int[8];
        final Scaler low = new Scaler(data, 0, 4);
        final Thread lowThread = new Thread(low, "low");
        lowThread.start();
        factor = 5;
        final Scaler high = new Scaler(data, 4, 8);
        final Thread highThread = new Thread(high, "high");
        highThread.start();
        factor = 7;
        low.untouchedByThread = 42;
        lowThread.join();
        highThread.join();
        Check.that("moved", low.ranIn != origin && high.ranIn != origin, low.ranIn + " " + high.ranIn);
        // Statics are shared while the thread runs: it sees the value as of its start() or one main wrote later (main
        // writes without synchronizing, so either is the Java memory model's answer), never an older one.
        final int lowSaw = low.seenFactor;
        final int highSaw = high.seenFactor;
        Check.that("statics-as-of-start-or-later", (lowSaw == 3 || lowSaw == 5 || lowSaw == 7) &&
            (highSaw == 5 || highSaw == 7), lowSaw + " " + highSaw);
        Check.that("disjoint-writes-land", Arrays.equals(data,
            new int[] {0, lowSaw, 2 * lowSaw, 3 * lowSaw, 4 * highSaw, 5 * highSaw, 6 * highSaw, 7 * highSaw}),
            Arrays.toString(data));
        Check.that("untouched-field-kept", low.untouchedByThread == 42, low.untouchedByThread);
        Check.that("changed-field-written-back", "after".equals(low.touchedByThread), low.touchedByThread);
        Check.that("static-array-elements-written-back", SHARED_TABLE[0] == lowSaw && SHARED_TABLE[1] == highSaw,
            Arrays.toString(SHARED_TABLE));
        Check.that("static-not-written-by-thread-kept", factor == 7, factor);

        // A graph far larger than one Aeron message, there and back.
        final Big big = new Big();
        Arrays.fill(big.values, 20);
        final Thread bigThread = new Thread(big, "big");
        bigThread.start();
        bigThread.join();
        Check.that("large-graph-round-trip", big.values[0] == 41 && big.values[big.values.length - 1] == 41,
            big.values[0] + " " + big.values[big.values.length - 1]);

        // join(ms), isAlive, getState, the name on the node, interrupt.
        final Sleeper sleeper = new Sleeper("sleeper-1");
        Check.that("state-new-before-start", sleeper.getState() == Thread.State.NEW, sleeper.getState());
        sleeper.start();
        final long joinStart = System.nanoTime();
        sleeper.join(300);
        final long joinedMs = (System.nanoTime() - joinStart) / 1_000_000;
        Check.that("timed-join-returns-while-running", sleeper.isAlive() && joinedMs >= 250, joinedMs + " ms");
        Thread.State state = sleeper.getState();
        for (int i = 0; i < 100 && state != Thread.State.TIMED_WAITING; i++)
        {
            sleeper.join(50);
            state = sleeper.getState();
        }
        Check.that("remote-state-reported", state == Thread.State.TIMED_WAITING, state);
        sleeper.interrupt();
        sleeper.join(30_000);
        Check.that("interrupt-reaches-remote-thread", !sleeper.isAlive() && sleeper.sawInterrupt,
            "alive=" + sleeper.isAlive() + " sawInterrupt=" + sleeper.sawInterrupt);
        Check.that("state-terminated-after-join", sleeper.getState() == Thread.State.TERMINATED, sleeper.getState());
        Check.that("name-carried-to-node", "sleeper-1".equals(sleeper.nameOnNode), sleeper.nameOnNode);
        Check.that("sleeper-moved", sleeper.ranIn != origin, sleeper.ranIn);

        // Output in order, statics written back.
        final Thread printer = new Thread(new Printer(), "printer");
        printer.start();
        printer.join();
        Check.that("static-field-written-back", "printer".equals(lastWriter), lastWriter);
        System.out.println("after printer");

        // A class the node can only know by name at run time.
        final LoadsOnDemand loads = new LoadsOnDemand();
        final Thread loader = new Thread(loads, "loader");
        loader.start();
        loader.join();
        Check.that("class-loaded-from-origin-on-demand", "only named at run time".equals(loads.loaded), loads.loaded);
        System.out.println("DONE");
    }
}
