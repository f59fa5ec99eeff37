package dev.virgo.runtime.origin;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.config.VirgoConfiguration;
import dev.virgo.runtime.graph.Snapshot;
import dev.virgo.runtime.wire.FinishedEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the origin ends a moved thread: whatever goes wrong on the way, the thread ends (join() returns) and the
 * failure reaches its uncaught-exception handler; once it ended, nothing of Virgo keeps it or its graph. A runtime
 * with nowhere to move threads to (no transport) and its conductor, with moved threads registered by hand.
 */
class ThreadCompletionTest
{
    private static final long TIMEOUT_MS = 10_000;
    /** A count of Integer.MAX_VALUE exceptions: decoding it fails with an OutOfMemoryError, as a huge chain would. */
    private static final byte[] UNDECODABLE_THROWABLE = {(byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, 0x07};

    private final VirgoConfiguration configuration = VirgoConfiguration.parse("localNodes=0");
    private final OriginRuntime runtime = OriginRuntime.launch(configuration, null);
    private final NodeConnection node = new NodeConnection("node-test", null, null);
    private final OriginConductor conductor =
        new OriginConductor(runtime, null, List.of(), new SystemNanoClock(), configuration);
    private final AtomicReference<Throwable> reported = new AtomicReference<>();

    @Test
    void shouldEndTheThreadAndTellItsHandlerWhenWhatItThrewCannotBeRebuilt() throws Exception
    {
        final Thread thread = thread("undecodable");
        final RemoteThread remote = moved(thread, new int[] {1});

        finished(remote, UNDECODABLE_THROWABLE);
        remote.join(TIMEOUT_MS);

        assertFalse(runtime.isAlive(thread), "join() would wait for ever");
        final Throwable failure = reported.get();
        assertInstanceOf(VirgoException.class, failure);
        assertTrue(failure.getMessage().contains("'undecodable'") && failure.getMessage().contains("node-test") &&
            failure.getMessage().contains("cannot be rebuilt"), failure.getMessage());
        assertInstanceOf(OutOfMemoryError.class, failure.getCause());
    }

    @Test
    void shouldEndTheThreadWhenItFinishesAfterTheCompletionThreadIsGone() throws Exception
    {
        final Thread thread = thread("late");
        final RemoteThread remote = moved(thread, new int[] {1});
        conductor.sayGoodbye(); // what the origin does when it closes

        finished(remote, null);
        remote.join(TIMEOUT_MS);

        assertFalse(runtime.isAlive(thread), "join() would wait for ever");
        assertNull(reported.get());
    }

    @Test
    void shouldEndEveryThreadOfALostNodeAfterTheCompletionThreadIsGone() throws Exception
    {
        final Thread first = thread("first");
        final Thread second = thread("second");
        final RemoteThread firstRemote = moved(first, new int[] {1});
        final RemoteThread secondRemote = moved(second, new int[] {2});
        conductor.sayGoodbye();

        conductor.nodeLost(node, "killed on purpose");
        firstRemote.join(TIMEOUT_MS);
        secondRemote.join(TIMEOUT_MS);

        assertFalse(runtime.isAlive(first), "join() would wait for ever");
        assertFalse(runtime.isAlive(second), "join() would wait for ever");
        assertInstanceOf(NodeLostException.class, reported.get());
    }

    @Test
    void shouldEndThreadsStillRunningWhenTheOriginCloses() throws Exception
    {
        final Thread thread = thread("abandoned");
        final RemoteThread remote = moved(thread, new int[] {1});

        runtime.close(); // as the shutdown hook does; a join() in another hook must not wait for ever
        remote.join(TIMEOUT_MS);

        assertFalse(runtime.isAlive(thread), "join() would wait for ever");
        assertEquals(Thread.State.TERMINATED, runtime.getState(thread));
    }

    @Test
    void shouldForgetAFinishedThreadAndItsGraphButKeepAnsweringForIt() throws Exception
    {
        Thread thread = thread("finished");
        byte[] payload = new byte[4 << 20];
        RemoteThread remote = moved(thread, payload);
        finished(remote, null);
        remote.join(TIMEOUT_MS);

        assertTrue(runtime.isMoved(thread), "a moved thread stays one: it must not look NEW, nor start again");
        assertFalse(runtime.isAlive(thread));
        assertEquals(Thread.State.TERMINATED, runtime.getState(thread));
        assertFalse(runtime.isInterrupted(thread));
        runtime.join(thread, 0);

        final WeakReference<Thread> threadGone = new WeakReference<>(thread);
        final WeakReference<byte[]> graphGone = new WeakReference<>(payload);
        thread = null;
        payload = null;
        remote = null;
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while ((null != threadGone.get() || null != graphGone.get()) && System.nanoTime() < deadlineNs)
        {
            System.gc();
            Thread.sleep(10); // polling the collector, bounded by the deadline
        }
        assertNull(threadGone.get(), "the finished Thread is still reachable");
        assertNull(graphGone.get(), "the finished thread's graph is still reachable");
    }

    private Thread thread(final String name)
    {
        final Thread thread = new Thread(() -> { }, name);
        thread.setUncaughtExceptionHandler((t, e) -> reported.set(e));
        return thread;
    }

    /** A FINISHED message from the node, with no final state (the node sends none when it has nothing to write). */
    private void finished(final RemoteThread remote, final byte[] throwable)
    {
        final FinishedEncoder message = new FinishedEncoder().wrap(new ExpandableArrayBuffer(64), 0)
            .originId(runtime.originId()).threadId(remote.threadId)
            .outcome(null == throwable ? FinishedEncoder.OUTCOME_NORMAL : FinishedEncoder.OUTCOME_EXCEPTION)
            .finalState(new byte[0]);
        if (null != throwable)
        {
            message.throwable(throwable);
        }
        conductor.onFinished(message.buffer(), 0, message.encodedLength());
    }

    /** As OriginRuntime.start does once a node was picked, without sending anything. */
    private RemoteThread moved(final Thread thread, final Object graph)
    {
        final ClassLoader loader = getClass().getClassLoader();
        final Snapshot snapshot = runtime.codec().snapshot(new Object[] {graph}, loader);
        final RemoteThread remote = new RemoteThread(thread, thread.getId(), node, snapshot, snapshot.bytes(),
            List.of(), new Object[0][], new Object[0][], loader);
        runtime.register(remote);
        node.threadStarted();
        return remote;
    }
}
