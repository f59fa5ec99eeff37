package org.example.scan;

import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Vector;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads' code as programs write it, for CodeScanTest. Top-level classes in a package outside Virgo's, so
 * that the scan treats them as the application's; separate classes (not nested ones), so that each one's constant
 * pool names only what it uses.
 */
public final class SyncFixtures
{
    public static final Object LOCK = new Object();

    private SyncFixtures()
    {
    }

    /** A serializable lambda whose body synchronizes, as Virgo prepares the lambdas of chosen classes. */
    public static Runnable lockingLambda(final long[] tally)
    {
        return (Runnable & Serializable)() ->
        {
            synchronized (LOCK)
            {
                tally[0]++;
            }
        };
    }

    /** A serializable lambda that shares nothing. */
    public static Runnable plainLambda(final long[] tally)
    {
        return (Runnable & Serializable)() -> tally[0] = Helpers.square(tally[0]);
    }
}

/** Fork/join work: private JDK objects that synchronize internally (StringBuffer, Vector) are not the program's. */
final class PlainWorker implements Runnable
{
    final long[] data = new long[16];
    String label;
    long sum;

    @Override
    public void run()
    {
        final Vector<Long> seen = new Vector<>();
        for (final long value : data)
        {
            sum += Helpers.square(value);
            seen.add(value);
        }
        label = new StringBuffer().append(seen.size()).append(" values").toString();
        Helpers.unusedSynchronized(); // a static method that does not synchronize, despite its name
    }

    /** Never called by run(): visible to declaredIn, not to reachableFrom. */
    synchronized long snapshotOfSum()
    {
        return sum;
    }
}

final class Helpers
{
    private Helpers()
    {
    }

    static long square(final long value)
    {
        return value * value;
    }

    static void unusedSynchronized()
    {
    }

    static synchronized void addUnderClassLock(final long[] tally)
    {
        tally[0]++;
    }

    static void signal(final Object monitor)
    {
        monitor.notifyAll();
    }

    static void pause(final Object monitor) throws InterruptedException
    {
        monitor.wait(10);
    }
}

final class MonitorBlock implements Runnable
{
    long count;

    @Override
    public void run()
    {
        for (int i = 0; i < 10; i++)
        {
            synchronized (SyncFixtures.LOCK)
            {
                count++;
            }
        }
    }
}

/** Reaches a synchronized method two calls away. */
final class CallsSynchronizedHelper implements Runnable
{
    final long[] tally = new long[1];

    @Override
    public void run()
    {
        step();
    }

    private void step()
    {
        Helpers.addUnderClassLock(tally);
    }
}

final class Notifier implements Runnable
{
    @Override
    public void run()
    {
        Helpers.signal(this);
    }
}

final class Waiter implements Runnable
{
    @Override
    public void run()
    {
        try
        {
            Helpers.pause(this);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}

/** A lambda created inside run() whose body synchronizes: found through invokedynamic's bootstrap arguments. */
final class LambdaInside implements Runnable
{
    final List<Long> values = List.of(1L, 2L, 3L);
    long total;

    @Override
    public void run()
    {
        values.forEach(value ->
        {
            synchronized (this)
            {
                total += value;
            }
        });
    }
}

interface Task
{
    void execute();
}

final class QuietTask implements Task
{
    @Override
    public void execute()
    {
    }
}

final class LockingTask implements Task
{
    private long runs;

    @Override
    public synchronized void execute()
    {
        runs++;
    }
}

/** An interface call: resolved to every implementation the code can name. */
final class Dispatcher implements Runnable
{
    final Task task;

    Dispatcher(final Task task)
    {
        this.task = task;
    }

    static Dispatcher of(final boolean locking)
    {
        return new Dispatcher(locking ? new LockingTask() : new QuietTask());
    }

    @Override
    public void run()
    {
        task.execute();
    }
}

final class Flags
{
    static volatile boolean stop;
    static int plain;

    private Flags()
    {
    }
}

final class FlagReader implements Runnable
{
    long spins;

    @Override
    public void run()
    {
        while (!Flags.stop && spins < 10)
        {
            spins += Flags.plain + 1;
        }
    }
}

final class PlainStaticReader implements Runnable
{
    int seen;

    @Override
    public void run()
    {
        seen = Flags.plain;
    }
}

final class Parker implements Runnable
{
    @Override
    public void run()
    {
        LockSupport.parkNanos(1);
    }
}

/** Holds a stamped lock through stamps, which a node takes from the origin's lock. */
final class StampedPoint implements Runnable
{
    private final java.util.concurrent.locks.StampedLock lock = new java.util.concurrent.locks.StampedLock();
    private int x;

    @Override
    public void run()
    {
        final long stamp = lock.writeLock();
        x++;
        lock.unlockWrite(stamp);
    }
}

/** Locks a stamped lock through its Lock view, which is a lock of the JVM that made it. */
final class StampedViewLocker implements Runnable
{
    private final java.util.concurrent.locks.StampedLock lock = new java.util.concurrent.locks.StampedLock();

    @Override
    public void run()
    {
        lock.asWriteLock().lock();
    }
}

final class Spinner implements Runnable
{
    @Override
    public void run()
    {
        Thread.onSpinWait();
    }
}

final class CompareAndSetter implements Runnable
{
    private static final VarHandle COUNT;
    private int count;

    static
    {
        try
        {
            COUNT = MethodHandles.lookup().findVarHandle(CompareAndSetter.class, "count", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @Override
    public void run()
    {
        COUNT.compareAndSet(this, 0, 1);
    }
}

/** Makes its VarHandle while it runs, where a node would make one of its own. */
final class HandleMaker implements Runnable
{
    private volatile int count;

    @Override
    public void run()
    {
        try
        {
            MethodHandles.lookup().findVarHandle(HandleMaker.class, "count", int.class).getAndAdd(this, 1);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}

/** Makes its field updater while it runs. */
final class UpdaterMaker implements Runnable
{
    private volatile int count;

    @Override
    public void run()
    {
        java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(UpdaterMaker.class, "count")
            .incrementAndGet(this);
    }
}

/** A Thread subclass that inherits its run() from an application superclass. */
class BaseLoop extends Thread
{
    @Override
    public synchronized void run()
    {
    }
}

final class InheritsRun extends BaseLoop
{
}

final class Settings
{
    static int order = 1;

    private Settings()
    {
    }
}

final class Unrelated
{
    static int[] table = new int[4];

    private Unrelated()
    {
    }

    static int[] table()
    {
        return table;
    }
}

/** Compares by length, in the order a static setting says: the JDK calls compare() on the thread's behalf. */
final class ByLength implements java.util.Comparator<String>
{
    @Override
    public int compare(final String a, final String b)
    {
        return Settings.order * Integer.compare(a.length(), b.length());
    }
}

final class StaticsUser implements Runnable
{
    final List<String> words = new java.util.ArrayList<>(List.of("ccc", "a", "bb"));
    Object unused = Unrelated.class;
    int seen;

    @Override
    public void run()
    {
        words.sort(new ByLength());
        seen = readFlag();
    }

    private static int readFlag()
    {
        return Flags.plain;
    }
}

final class CountingComparator implements java.util.Comparator<String>
{
    private int comparisons;

    @Override
    public synchronized int compare(final String a, final String b)
    {
        comparisons++;
        return a.compareTo(b);
    }
}

final class SortsWithACallback implements Runnable
{
    final List<String> words = new java.util.ArrayList<>(List.of("b", "a"));

    @Override
    public void run()
    {
        words.sort(new CountingComparator());
    }
}

/** Enters a monitor first, then parks: sharing keeps the monitor, not the park. */
final class LocksThenParks implements Runnable
{
    private final Object lock = new Object();

    @Override
    public void run()
    {
        synchronized (lock)
        {
            lock.notifyAll();
        }
        LockSupport.parkNanos(1);
    }
}

/** Counts words into a shared concurrent map: each merge is an atomic update, made where the map is. */
final class WordCounter implements Runnable
{
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> counts;

    WordCounter(final java.util.concurrent.ConcurrentHashMap<String, Integer> counts)
    {
        this.counts = counts;
    }

    @Override
    public void run()
    {
        counts.merge("word", 1, Integer::sum);
    }
}
