package dev.virgo.runtime.node;

import dev.virgo.samples.images.Tally;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.virgo.runtime.node.TestClassFiles.bytesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/** Images of one origin loader share the rewriting of its classes, and each still has statics of its own. */
class PreparedClassesTest
{
    private static final String TALLY = Tally.class.getName();

    private final Map<String, Integer> requests = new ConcurrentHashMap<>();
    private final PreparedClasses classes = new PreparedClasses(
        name ->
        {
            requests.merge(name, 1, Integer::sum);
            return bytesOf(name);
        },
        PreparedClassesTest.class.getClassLoader());

    @Test
    void shouldPrepareAClassOnceForEveryImageAndKeepEachImagesStatics() throws Exception
    {
        final ThreadClassLoader shared = image("shared");
        assertEquals(6, next(shared), "no statics carried: its own initializer ran there");
        final int requestsForOneImage = requests.get(TALLY);

        final ThreadClassLoader own = imageWithTally("own", 42);
        final ThreadClassLoader another = imageWithTally("another", 7);
        assertEquals(43, next(own), "the static as carried from the origin");
        assertEquals(8, next(another));
        assertEquals(44, next(own), "each image its own static");
        assertEquals(7, next(shared));
        assertNotSame(own.loadClass(TALLY), another.loadClass(TALLY));

        assertEquals(requestsForOneImage, requests.get(TALLY), "two more images asked the origin for nothing more");
    }

    private ThreadClassLoader image(final String name)
    {
        return new ThreadClassLoader(name, classes, PreparedClassesTest.class.getClassLoader());
    }

    private ThreadClassLoader imageWithTally(final String name, final int count)
    {
        final ThreadClassLoader image = image(name);
        image.expectStatics(new String[] {TALLY}, new String[][] {{"count"}});
        image.staticsReady(new String[] {TALLY}, new Object[][] {{count}});
        return image;
    }

    private static int next(final ClassLoader image) throws Exception
    {
        return (int)image.loadClass(TALLY).getMethod("next").invoke(null);
    }
}
