package dev.virgo.it.apps;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** An exception escaping a moved thread reaches the origin's handler, as itself, with the remote stack trace. */
public final class UncaughtApp
{
    static final class Failing implements Runnable
    {
        int progress;

        @Override
        public void run()
        {
            progress = 1;
            deepInside();
        }

        private void deepInside()
        {
            throw new IllegalStateException("boom on purpose");
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final AtomicReference<Throwable> caught = new AtomicReference<>();
        final AtomicReference<Thread> caughtIn = new AtomicReference<>();
        final CountDownLatch handled = new CountDownLatch(1);
        final Failing failing = new Failing();
        final Thread thread = new Thread(failing, "failing");
        thread.setUncaughtExceptionHandler((t, e) ->
        {
            caughtIn.set(t);
            caught.set(e);
            handled.countDown();
        });
        thread.start();
        thread.join();
        Check.that("handler-ran-before-join-returned", handled.await(0, TimeUnit.SECONDS), "not yet");
        final Throwable e = caught.get();
        Check.that("same-exception-class", e instanceof IllegalStateException, e);
        Check.that("same-message", null != e && "boom on purpose".equals(e.getMessage()), e);
        Check.that("handler-got-the-thread", caughtIn.get() == thread, caughtIn.get());
        boolean remoteFrame = false;
        if (null != e)
        {
            for (final StackTraceElement frame : e.getStackTrace())
            {
                remoteFrame |= frame.getMethodName().equals("deepInside");
            }
        }
        Check.that("remote-stack-trace", remoteFrame, null == e ? null : java.util.Arrays.toString(e.getStackTrace()));
        final boolean nodeNamed = null != e && e.getSuppressed().length == 1 &&
            e.getSuppressed()[0].getMessage().contains("node-");
        Check.that("node-named", nodeNamed, null == e ? null : java.util.Arrays.toString(e.getSuppressed()));
        Check.that("writes-before-the-exception-kept", failing.progress == 1, failing.progress);

        // With no handler set, the default one prints it, naming the node.
        final Thread unhandled = new Thread(new Failing(), "unhandled");
        unhandled.start();
        unhandled.join();
        System.out.println("DONE");
    }
}
