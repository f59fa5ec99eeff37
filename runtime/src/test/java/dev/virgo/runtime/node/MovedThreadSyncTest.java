package dev.virgo.runtime.node;

import dev.virgo.runtime.graph.GraphCodec;
import dev.virgo.runtime.graph.Image;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Exchanger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order of a moved thread's exchanges against its final state: the origin merges the final state against the last
 * exchange it saw, so nothing may be exchanged after it, though the {@link Refresher} may still run one more round for
 * a thread it has just dropped. The proxy here has no outbox: any exchange that reached it would fail.
 */
class MovedThreadSyncTest
{
    private static final ClassLoader LOADER = MovedThreadSyncTest.class.getClassLoader();

    static final class Progress
    {
        final List<String> seen = new ArrayList<>();
        long loops;
    }

    private final GraphCodec codec = new GraphCodec(1 << 20);

    private MovedThreadSync syncOf(final Progress progress)
    {
        final Image image = codec.read(codec.snapshot(new Object[]{progress}, LOADER).bytes(), LOADER);
        final Progress copy = (Progress)image.roots()[0];
        copy.seen.add("written on the node since the last exchange");
        copy.loops = 7;
        return new MovedThreadSync(new SyncProxy(1, null, "origin-1"), 21, "looper", image, null,
            Thread.currentThread());
    }

    @Test
    void shouldExchangeWhatChangedWhileTheThreadRuns()
    {
        // The control for the test below: the same refresh before the end does try to send its release.
        final MovedThreadSync sync = syncOf(new Progress());
        assertThrows(NullPointerException.class, sync::refresh);
    }

    @Test
    void shouldNotRefreshAfterTheFinalState()
    {
        final MovedThreadSync sync = syncOf(new Progress());
        sync.finalState();
        assertFalse(sync.refresh(), "a refresh after the final state would put the origin's table ahead of it");
    }

    @Test
    void shouldNotRefreshAfterTheProgramExited()
    {
        final MovedThreadSync sync = syncOf(new Progress());
        sync.end();
        assertFalse(sync.refresh());
    }

    @Test
    void shouldHoldNoExchangeWhileAStampedLockOrAnExchangerMayWait()
    {
        final StampedLock stamped = new StampedLock();
        assertTrue(MovedThreadSync.mayBlock(stamped, "writeLock", "()J"));
        assertTrue(MovedThreadSync.mayBlock(stamped, "readLockInterruptibly", "()J"));
        assertTrue(MovedThreadSync.mayBlock(stamped, "tryWriteLock", "(JLjava/util/concurrent/TimeUnit;)J"));
        assertFalse(MovedThreadSync.mayBlock(stamped, "tryWriteLock", "()J"));
        assertFalse(MovedThreadSync.mayBlock(stamped, "tryOptimisticRead", "()J"));
        assertFalse(MovedThreadSync.mayBlock(stamped, "unlockWrite", "(J)V"));
        assertFalse(MovedThreadSync.mayBlock(new ReentrantReadWriteLock(), "readLock",
            "()Ljava/util/concurrent/locks/ReentrantReadWriteLock$ReadLock;"), "a read-write lock's view, at once");
        assertTrue(MovedThreadSync.mayBlock(new Exchanger<String>(), "exchange", "(Ljava/lang/Object;)Ljava/lang/Object;"));
    }
}
