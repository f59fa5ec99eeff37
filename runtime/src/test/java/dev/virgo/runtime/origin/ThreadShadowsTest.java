package dev.virgo.runtime.origin;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.graph.GraphCodec;
import dev.virgo.runtime.graph.Image;
import dev.virgo.runtime.graph.Snapshot;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node goes on after a release it does not wait for (a monitor exit, a volatile write): when the origin could not
 * apply one, the two sides' last exchanged states differ, so the origin refuses every later exchange of that thread,
 * its final state included, rather than write wrong values.
 */
class ThreadShadowsTest
{
    private static final ClassLoader LOADER = ThreadShadowsTest.class.getClassLoader();

    static final class Tally
    {
        long count;
    }

    private final GraphCodec codec = new GraphCodec(1 << 20);

    @Test
    void shouldRefuseEveryLaterExchangeOnceAReleaseTheNodeWentOnFromFailed()
    {
        final Tally tally = new Tally();
        final Snapshot snapshot = codec.snapshot(new Object[]{tally}, LOADER);
        final Thread thread = new Thread(() -> { }, "counter");
        final RemoteThread remote = new RemoteThread(thread, 7, new NodeConnection("node-test", null, null),
            snapshot, null, List.of(), new Object[0][], new Object[0][], LOADER);
        final ThreadShadows shadows = new ThreadShadows(1, remote);
        final Image node = codec.read(snapshot.bytes(), LOADER);
        final Tally copy = (Tally)node.roots()[0];

        copy.count = 1;
        shadows.release(node.release());
        assertEquals(1, tally.count, "in step: a release is applied");

        shadows.breakExchanges("the release of an EXIT could not be decoded");
        copy.count = 2;
        final byte[] next = node.release();
        for (final Runnable exchange : List.<Runnable>of(
            () -> shadows.release(next), shadows::acquire, shadows::acquireIfChanged))
        {
            final VirgoException refused = assertThrows(VirgoException.class, exchange::run);
            assertTrue(refused.getMessage().contains("out of step") &&
                refused.getMessage().contains("could not be decoded"), refused.getMessage());
        }
        assertEquals(1, tally.count, "nothing written once out of step");
    }
}
