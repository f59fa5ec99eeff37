package dev.virgo.samples.identity;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Application classes (outside Virgo's packages) whose call sites a node rewrites, for MovedCodeRewriterTest: each
 * uses the idiom as ordinary code writes it.
 */
public final class IdentitySamples
{
    private IdentitySamples()
    {
    }

    /** A Thread subclass asking about itself. */
    public static class Worker extends Thread
    {
        public boolean sawInterrupt;

        @Override
        public void run()
        {
            while (!isInterrupted())
            {
                LockSupport.parkNanos(1000);
            }
            sawInterrupt = isInterrupted();
        }

        public Thread current()
        {
            return Thread.currentThread();
        }

        public String name()
        {
            return getName();
        }

        public void wake(final Thread other)
        {
            LockSupport.unpark(other);
        }
    }

    /** Overrides interrupt() and calls Thread's own from it. */
    public static class Closing extends Thread
    {
        public boolean closed;

        @Override
        public void interrupt()
        {
            closed = true;
            super.interrupt();
        }
    }

    /** Its super.interrupt() reaches Closing's override, not Thread's. */
    public static class ClosingTwice extends Closing
    {
        @Override
        public void interrupt()
        {
            super.interrupt();
        }
    }

    /** Calls a method of its own named like Thread's: not a thread. */
    public static class NotAThread
    {
        public int interrupts;

        public void interrupt()
        {
            interrupts++;
        }

        public void use()
        {
            interrupt();
        }
    }

    /** Ends the program every way there is, and names the calls as method references. */
    public static class Exits
    {
        public void exit()
        {
            System.exit(1);
        }

        public void runtimeExit()
        {
            Runtime.getRuntime().exit(2);
        }

        public void halt()
        {
            Runtime.getRuntime().halt(3);
        }

        public IntConsumer exitReference()
        {
            return System::exit;
        }

        public Supplier<Thread> currentThreadReference()
        {
            return Thread::currentThread;
        }
    }

    /** Nothing to rewrite. */
    public static class Plain
    {
        public int add(final int a, final int b)
        {
            return a + b;
        }
    }
}
