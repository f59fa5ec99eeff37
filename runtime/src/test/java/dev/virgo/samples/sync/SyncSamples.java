package dev.virgo.samples.sync;

import java.io.FilterInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Application classes that synchronize the ways javac compiles it: monitors (blocks and methods), wait and notify,
 * volatile fields. A node rewrites each such site (SyncSiteRewriterTest); loaded through it, they must keep their
 * Java meaning. The code a test wants to run while a monitor is held comes in as a {@code Runnable}, so that a test
 * can hold a monitor and watch another thread block on it.
 */
public final class SyncSamples
{
    private SyncSamples()
    {
    }

    /** {@code synchronized} blocks: on a lock field, on {@code this}, on a class literal, nested and re-entrant. */
    public static final class Blocks
    {
        private final Object lock = new Object();
        private int count;

        public Object lock()
        {
            return lock;
        }

        public void onLock(final Runnable inside)
        {
            synchronized (lock)
            {
                inside.run();
            }
        }

        public void onThis(final Runnable inside)
        {
            synchronized (this)
            {
                inside.run();
            }
        }

        public static void onClass(final Runnable inside)
        {
            synchronized (Blocks.class)
            {
                inside.run();
            }
        }

        /** Re-enters {@code lock} inside a block on {@code this} inside a block on {@code lock}. */
        public void nested(final Runnable inside)
        {
            synchronized (lock)
            {
                synchronized (this)
                {
                    synchronized (lock)
                    {
                        inside.run();
                    }
                }
            }
        }

        /** The block's first instruction is also its own try's: what that try catches is the body's, not more. */
        public String catchingInside(final Runnable inside)
        {
            synchronized (lock)
            {
                try
                {
                    inside.run();
                    return "ran";
                }
                catch (final IllegalStateException ex)
                {
                    return "caught inside";
                }
            }
        }

        /** The block's first instruction is also the loop's: the monitor is entered once, not once per turn. */
        public int countBy(final int step)
        {
            synchronized (lock)
            {
                do
                {
                    count++;
                }
                while (count % step != 0);
                return count;
            }
        }

        /** The idiom of a shared counter: a read-modify-write that only the monitor keeps whole. */
        public void increment(final int times)
        {
            for (int i = 0; i < times; i++)
            {
                synchronized (lock)
                {
                    count++;
                }
            }
        }

        public int count()
        {
            synchronized (lock)
            {
                return count;
            }
        }
    }

    /**
     * Other shapes javac gives a block: left by {@code continue}, {@code break}, {@code return} and {@code throw},
     * inside {@code try}/{@code finally} and around try-with-resources, in a switch, a lambda, a constructor and a
     * static initializer.
     */
    public static final class Shapes
    {
        private static final Object STATIC_LOCK = new Object();
        private static int initialized;

        static
        {
            synchronized (STATIC_LOCK)
            {
                initialized++;
            }
        }

        private final Object lock = new Object();
        private final List<String> log = new ArrayList<>();

        public Shapes()
        {
            synchronized (lock)
            {
                log.add("constructed");
            }
        }

        public int exits(final int n)
        {
            int total = 0;
            for (int i = 0; i < n; i++)
            {
                synchronized (lock)
                {
                    if (i % 5 == 1)
                    {
                        continue;
                    }
                    if (i == 13)
                    {
                        break;
                    }
                    if (i == n - 1)
                    {
                        return -total;
                    }
                    total += i;
                }
            }
            return total;
        }

        public String withFinally(final boolean fail)
        {
            try
            {
                synchronized (lock)
                {
                    if (fail)
                    {
                        throw new IllegalStateException("failed");
                    }
                    return "ok";
                }
            }
            catch (final IllegalStateException ex)
            {
                return ex.getMessage() + (Thread.holdsLock(lock) ? " holding" : " released");
            }
            finally
            {
                log.add("finally");
            }
        }

        public int inFinally()
        {
            try
            {
                return log.size();
            }
            finally
            {
                synchronized (lock)
                {
                    log.add("in finally");
                }
            }
        }

        public String inSwitch(final int k)
        {
            synchronized (lock)
            {
                switch (k)
                {
                    case 0:
                        return "zero";
                    case 1:
                        return "one";
                    default:
                        return "many";
                }
            }
        }

        public int inLambda()
        {
            final IntSupplier size = () ->
            {
                synchronized (lock)
                {
                    return log.size();
                }
            };
            return size.getAsInt();
        }

        public int aroundTryWithResources() throws Exception
        {
            synchronized (lock)
            {
                try (AutoCloseable closing = () -> log.add("closed"))
                {
                    return log.size();
                }
            }
        }

        public static int initialized()
        {
            synchronized (Shapes.class)
            {
                return initialized;
            }
        }

        public String log()
        {
            synchronized (lock)
            {
                return log + (Thread.holdsLock(STATIC_LOCK) ? " holding the static lock" : "");
            }
        }
    }

    /** {@code synchronized} methods, instance and static, with each kind of return and an exception. */
    public static final class Methods
    {
        private static long staticCount;
        private int count;

        public synchronized void run(final Runnable inside)
        {
            inside.run();
        }

        public static synchronized void runStatic(final Runnable inside)
        {
            inside.run();
        }

        /** Calls another synchronized method of the same object while holding its monitor. */
        public synchronized void reenter(final Runnable inside)
        {
            run(inside);
        }

        public synchronized int increment(final int times)
        {
            for (int i = 0; i < times; i++)
            {
                count++;
            }
            return count;
        }

        public static synchronized long incrementStatic(final int times)
        {
            for (int i = 0; i < times; i++)
            {
                staticCount++;
            }
            return staticCount;
        }

        public static synchronized double half(final double value)
        {
            return value / 2;
        }

        public synchronized Object self()
        {
            return this;
        }

        /** Its own handler must still catch what the body throws, inside the monitor. */
        public synchronized String catching(final Runnable inside)
        {
            try
            {
                inside.run();
                return "ran";
            }
            catch (final IllegalStateException ex)
            {
                return "caught " + ex.getMessage() + (Thread.holdsLock(this) ? " holding the monitor" : "");
            }
        }
    }

    /** A bounded buffer, the textbook use of wait and notifyAll. */
    public static final class BoundedBuffer
    {
        private final Object[] items;
        private int head;
        private int size;

        public BoundedBuffer(final int capacity)
        {
            items = new Object[capacity];
        }

        public synchronized void put(final Object item) throws InterruptedException
        {
            while (size == items.length)
            {
                wait();
            }
            items[(head + size) % items.length] = item;
            size++;
            notifyAll();
        }

        public synchronized Object take() throws InterruptedException
        {
            while (size == 0)
            {
                wait();
            }
            final Object item = items[head];
            items[head] = null;
            head = (head + 1) % items.length;
            size--;
            notifyAll();
            return item;
        }

        public Runnable producer(final int count)
        {
            return () ->
            {
                try
                {
                    for (int i = 0; i < count; i++)
                    {
                        put(i);
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            };
        }
    }

    /** A one-shot signal with notify, {@code super.notify()}, a method reference to notifyAll, and timed waits. */
    public static final class Signal
    {
        private boolean signalled;

        public synchronized void await() throws InterruptedException
        {
            while (!signalled)
            {
                wait();
            }
        }

        public synchronized void signal()
        {
            signalled = true;
            notify();
        }

        public synchronized void signalThroughSuper()
        {
            signalled = true;
            super.notify();
        }

        public void signalThroughReference()
        {
            final Runnable wakeAll = this::notifyAll;
            synchronized (this)
            {
                signalled = true;
                wakeAll.run();
            }
        }

        /** Waits the whole timeout, however often it wakes, and says how long that took. */
        public synchronized long waitMs(final long timeoutMs) throws InterruptedException
        {
            final long startNs = System.nanoTime();
            final long deadlineNs = startNs + timeoutMs * 1_000_000;
            for (long leftNs = deadlineNs - startNs; leftNs > 0; leftNs = deadlineNs - System.nanoTime())
            {
                wait(Math.max(1, leftNs / 1_000_000));
            }
            return (System.nanoTime() - startNs) / 1_000_000;
        }

        public synchronized void waitWithNanos(final long timeoutMs, final int nanos) throws InterruptedException
        {
            wait(timeoutMs, nanos);
        }

        /** A mistake, to see the JDK's answer to it. */
        public void waitWithoutTheMonitor() throws InterruptedException
        {
            wait(1);
        }
    }

    /** A volatile field of every kind, published by a volatile write and read after a volatile read. */
    public static class Flags
    {
        public static volatile int publications;

        protected volatile boolean ready;
        protected volatile boolean flag;
        protected volatile byte smallNumber;
        protected volatile char letter;
        protected volatile short mediumNumber;
        protected volatile int number;
        protected volatile long bigNumber;
        protected volatile float ratio;
        protected volatile double precise;
        protected volatile String text;

        public void publish(final int seed)
        {
            flag = seed % 2 == 1;
            smallNumber = (byte)seed;
            letter = (char)('a' + seed % 26);
            mediumNumber = (short)(seed * 3);
            number = seed * 5;
            bigNumber = seed * 10_000_000_000L;
            ratio = seed / 4f;
            precise = seed / 8d;
            text = "seed " + seed;
            publications++;
            ready = true;
        }

        /** Spins on the volatile flag, as code waiting for a publication does, within a bound. */
        public String awaitPublished(final long timeoutMs)
        {
            final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000;
            while (!ready)
            {
                if (System.nanoTime() > deadlineNs)
                {
                    return "not published within " + timeoutMs + " ms";
                }
                Thread.onSpinWait();
            }
            return describe();
        }

        public String describe()
        {
            return flag + " " + smallNumber + " " + letter + " " + mediumNumber + " " + number + " " + bigNumber +
                " " + ratio + " " + precise + " " + text;
        }

        /** Compound assignments: a volatile read and a volatile write each, wide values among them. */
        public String compound()
        {
            number++;
            bigNumber += 3;
            precise *= 2;
            ratio -= 0.5f;
            smallNumber--;
            mediumNumber <<= 1;
            letter++;
            flag = !flag;
            final long before = bigNumber++;
            return before + " " + describe();
        }
    }

    /** Reads and writes the inherited volatile fields through its own name, as javac writes them. */
    public static final class SubFlags extends Flags
    {
        public long doubleBigNumber()
        {
            bigNumber = bigNumber * 2;
            return bigNumber;
        }

        public static int publicationsThroughSubclass()
        {
            return SubFlags.publications;
        }
    }

    /** Reads and writes the JDK's volatile {@code FilterInputStream.in}: the JDK's own fields are left alone. */
    public static final class Filtered extends FilterInputStream
    {
        public Filtered(final InputStream in)
        {
            super(in);
        }

        public InputStream inner()
        {
            return in;
        }

        public void replace(final InputStream next)
        {
            in = next;
        }
    }

    /** No class literal, lambda or string concatenation: it can be rewritten as a class file before Java 5. */
    public static final class Legacy
    {
        private static volatile int calls;
        private volatile long total;
        private boolean signalled;

        public static synchronized int call()
        {
            calls++;
            return calls;
        }

        public synchronized long add(final long value)
        {
            total += value;
            return total;
        }

        public long addInBlock(final long value)
        {
            synchronized (this)
            {
                total += value;
                return total;
            }
        }

        public synchronized void signal()
        {
            signalled = true;
            notifyAll();
        }

        public synchronized boolean awaitMs(final long timeoutMs) throws InterruptedException
        {
            final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000;
            while (!signalled && System.nanoTime() < deadlineNs)
            {
                wait(Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000));
            }
            return signalled;
        }
    }
}
