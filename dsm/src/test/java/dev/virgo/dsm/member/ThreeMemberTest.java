package dev.virgo.dsm.member;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three members over Aeron IPC, and threads to act on them; every wait in a test is bounded. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ThreeMemberTest
{
    protected static final long WAIT_S = 20;

    protected Members cluster;
    protected DsmMember a;
    protected DsmMember b;
    protected DsmMember c;
    protected ExecutorService threads;

    @BeforeEach
    protected void startMembers()
    {
        cluster = new Members(3, 4096);
        a = cluster.members[0];
        b = cluster.members[1];
        c = cluster.members[2];
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    protected void stopMembers() throws InterruptedException
    {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(WAIT_S, TimeUnit.SECONDS), "test threads did not stop");
        cluster.close();
    }

    protected <T> Future<T> start(final Callable<T> task)
    {
        return threads.submit(task);
    }

    /** @return each task's result, waiting at most {@link #WAIT_S} for all. */
    protected static <T> List<T> results(final List<Future<T>> futures) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        final List<T> results = new ArrayList<>();
        for (final Future<T> future : futures)
        {
            results.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        }
        return results;
    }

    protected static <T> T result(final Future<T> future) throws Exception
    {
        return future.get(WAIT_S, TimeUnit.SECONDS);
    }
}
