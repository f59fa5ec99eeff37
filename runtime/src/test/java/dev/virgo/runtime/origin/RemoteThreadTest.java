package dev.virgo.runtime.origin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How joins on a moved thread wait. On JDK 17 {@code Thread.join(long)} is synchronized, so the agent's advice (and
 * {@link RemoteThread#join}) runs holding the Thread's monitor: the joiners here take it as that method does.
 */
class RemoteThreadTest
{
    private static final long TIMEOUT_MS = 10_000;

    private final Thread thread = new Thread(() -> { }, "moved");
    private final RemoteThread remote = new RemoteThread(thread, 1, new NodeConnection("node-test", null, null),
        null, null, List.of(), new Object[0][], new Object[0][], null);
    private final List<Thread> joiners = new ArrayList<>();

    @AfterEach
    void endThread() throws InterruptedException
    {
        remote.markTerminated();
        for (final Thread joiner : joiners)
        {
            joiner.join(TIMEOUT_MS);
        }
    }

    @Test
    void shouldReturnFromATimedJoinOnTimeWhileAnotherThreadWaitsInJoin() throws Exception
    {
        final boolean[] interrupted = new boolean[1];
        startJoiner(0, interrupted);
        awaitWaiting(joiners.get(0));

        final long[] tookMs = {-1};
        final Thread timedJoiner = new Thread(() ->
        {
            final long startNs = System.nanoTime();
            try
            {
                synchronized (thread)
                {
                    remote.join(200);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            tookMs[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        }, "timed-joiner");
        joiners.add(timedJoiner);
        timedJoiner.start();
        timedJoiner.join(TIMEOUT_MS);

        assertFalse(timedJoiner.isAlive(), "join(200) still waiting after " + TIMEOUT_MS + " ms");
        assertTrue(tookMs[0] >= 199 && tookMs[0] < 2_000, "join(200) took " + tookMs[0] + " ms");
        assertTrue(remote.isAlive());

        joiners.get(0).interrupt();
        joiners.get(0).join(TIMEOUT_MS);
        assertTrue(interrupted[0], "the other join() is interruptible, as the JDK's is");
    }

    @Test
    void shouldWakeEveryJoinerOnceTheThreadEndsAndShowThemWhatWasWrittenBefore() throws Exception
    {
        final int[] writtenBack = new int[1];
        final boolean[][] sawWrite = new boolean[4][1];
        for (int i = 0; i < sawWrite.length; i++)
        {
            final boolean[] saw = sawWrite[i];
            final Thread joiner = new Thread(() ->
            {
                try
                {
                    synchronized (thread)
                    {
                        remote.join(0);
                    }
                    saw[0] = writtenBack[0] == 42;
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }, "joiner-" + i);
            joiners.add(joiner);
            joiner.start();
        }
        for (final Thread joiner : joiners)
        {
            awaitWaiting(joiner);
        }

        writtenBack[0] = 42; // the write-back, done before the thread is marked terminated
        remote.markTerminated();

        for (int i = 0; i < joiners.size(); i++)
        {
            joiners.get(i).join(TIMEOUT_MS);
            assertFalse(joiners.get(i).isAlive(), joiners.get(i).getName() + " still in join()");
            assertTrue(sawWrite[i][0], joiners.get(i).getName() + " did not see the write-back");
        }
        assertFalse(remote.isAlive());
    }

    private void startJoiner(final long millis, final boolean[] interrupted)
    {
        final Thread joiner = new Thread(() ->
        {
            try
            {
                synchronized (thread)
                {
                    remote.join(millis);
                }
            }
            catch (final InterruptedException ex)
            {
                interrupted[0] = true;
            }
        }, "joiner");
        joiners.add(joiner);
        joiner.start();
    }

    private static void awaitWaiting(final Thread joiner) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (joiner.getState() != Thread.State.WAITING)
        {
            assertTrue(System.nanoTime() < deadlineNs, joiner.getName() + " not waiting: " + joiner.getState());
            Thread.sleep(1);
        }
    }
}
