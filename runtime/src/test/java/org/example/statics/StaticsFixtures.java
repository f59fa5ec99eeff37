package org.example.statics;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.logging.Logger;

/**
 * Classes whose statics a moved thread reaches, for StaticFieldsTest: top-level classes in a package outside Virgo's,
 * so that they count as the application's. {@link Worker} names them all.
 */
public final class StaticsFixtures
{
    private StaticsFixtures()
    {
    }

    /** Initializes every fixture class, as a program that used them before start() would have. */
    public static Runnable initializedWorker()
    {
        final Worker worker = new Worker();
        worker.run();
        return worker;
    }

    /** A worker nested in a class whose statics are initialized, whose code does not name that class. */
    public static Runnable quietNestedWorker()
    {
        Outer.results[0] = Table.values.length;
        return new Outer.Quiet();
    }

    /** A worker nested in the same class, whose code counts into that class's statics. */
    public static Runnable countingNestedWorker()
    {
        Outer.results[0] = Table.values.length;
        return new Outer.Counting();
    }
}

/** A program's main class: its statics are initialized, and it names other classes with statics (Table). */
final class Outer
{
    static final long[] results = new long[1];

    static final class Quiet implements Runnable
    {
        long sum;

        @Override
        public void run()
        {
            for (int i = 0; i < 10; i++)
            {
                sum += i;
            }
        }
    }

    static final class Counting implements Runnable
    {
        @Override
        public void run()
        {
            results[0]++;
        }
    }
}

final class Worker implements Runnable
{
    long seen;

    @Override
    public void run()
    {
        seen = Table.ROWS + Table.values.length + Counters.next.size() + (Control.stop ? 1 : 0) +
            LoggerNextToTable.tally.length + MutableLogger.hits;
        OnlyLoggers.LOG.fine("run");
        OnlyLoggers.AUDIT.log(System.Logger.Level.DEBUG, "run");
        LoggerNextToTable.LOG.fine("run");
        MutableLogger.log.fine("run");
        seen += Asserting.check(1) + AssertOnly.check(2);
    }
}

final class Asserting
{
    static int calls;

    static int check(final int value)
    {
        assert value > 0;
        return ++calls;
    }
}

final class AssertOnly
{
    static int check(final int value)
    {
        assert value > 0;
        return value;
    }
}

final class Table
{
    static final int ROWS = 4; // a compile-time constant: set by the JVM on the node, never copied
    static int[] values = new int[ROWS];
}

final class Counters
{
    static final DelayQueue<Delayed> next = new DelayQueue<>();
}

final class Control
{
    static volatile boolean stop;
}

final class OnlyLoggers
{
    static final Logger LOG = Logger.getLogger(OnlyLoggers.class.getName());
    static final System.Logger AUDIT = System.getLogger("audit");
}

final class LoggerNextToTable
{
    static final Logger LOG = Logger.getLogger(LoggerNextToTable.class.getName());
    static long[] tally = new long[2];
}

final class MutableLogger
{
    static Logger log = Logger.getLogger(MutableLogger.class.getName());
    static int hits;
}
