package dev.virgo.runtime.graph;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A field updater travels as the field it updates: the copy is an updater of this side's class for the same field,
 * made as the class itself would make it (private fields included), so a call carried to the origin updates the
 * origin's object and one made on a copy updates the copy.
 */
class FieldUpdatersTest
{
    private static final ClassLoader LOADER = FieldUpdatersTest.class.getClassLoader();

    private final GraphCodec codec = new GraphCodec(1 << 20);

    /** Fields of every kind an updater updates, next to others of the same types that it must not. */
    static final class Stats
    {
        static final AtomicIntegerFieldUpdater<Stats> HITS = AtomicIntegerFieldUpdater.newUpdater(Stats.class, "hits");
        static final AtomicLongFieldUpdater<Stats> LETTERS = AtomicLongFieldUpdater.newUpdater(Stats.class, "letters");
        static final AtomicReferenceFieldUpdater<Stats, String> LONGEST =
            AtomicReferenceFieldUpdater.newUpdater(Stats.class, String.class, "longest");

        private volatile int misses;
        private volatile int hits;
        private volatile long spaces;
        private volatile long letters;
        private volatile String shortest = "";
        private volatile String longest = "";
    }

    @Test
    void shouldCopyAnUpdaterAsAnUpdaterOfTheSameField()
    {
        final Stats stats = new Stats();
        final List<Object> graph = List.of(stats, Stats.HITS, Stats.LETTERS, Stats.LONGEST);

        final Object[] copies = (Object[])codec.read(
            codec.snapshot(new Object[] {graph.toArray()}, LOADER).bytes(), LOADER).roots()[0];

        final Stats copy = (Stats)copies[0];
        assertNotSame(stats, copy);
        @SuppressWarnings("unchecked")
        final AtomicIntegerFieldUpdater<Stats> hits = (AtomicIntegerFieldUpdater<Stats>)copies[1];
        @SuppressWarnings("unchecked")
        final AtomicLongFieldUpdater<Stats> letters = (AtomicLongFieldUpdater<Stats>)copies[2];
        @SuppressWarnings("unchecked")
        final AtomicReferenceFieldUpdater<Stats, String> longest = (AtomicReferenceFieldUpdater<Stats, String>)copies[3];
        assertNotSame(Stats.HITS, hits, "an updater made on this side");
        assertSame(Stats.HITS.getClass(), hits.getClass());

        assertEquals(1, hits.incrementAndGet(copy));
        assertEquals(5, letters.addAndGet(copy, 5));
        assertTrue(longest.compareAndSet(copy, "", "banana"));

        assertEquals(1, copy.hits);
        assertEquals(0, copy.misses, "the field it was made for, not its neighbour");
        assertEquals(5, copy.letters);
        assertEquals(0, copy.spaces);
        assertEquals("banana", copy.longest);
        assertEquals("", copy.shortest);
        assertEquals(0, stats.hits, "the copy's updater updates the copy");
    }

    @Test
    void shouldRefuseAnUpdaterANodeNamesForAFieldThatIsNotAProgramsVolatileOne()
    {
        final Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(false);
        FieldUpdaterSerializers.register(kryo);

        assertTrue(unreadable(kryo, Thread.class, "threadStatus").contains("only the fields of the program's classes"),
            "the origin makes no updater for a JDK class's field");
        assertTrue(unreadable(kryo, Stats.class, "absent").contains("a field it does not have"));
        assertTrue(unreadable(kryo, Stats.class, "HITS").contains("not a volatile instance field"));
        assertTrue(unreadable(kryo, Counters.class, "plain").contains("not a volatile instance field"));
    }

    static final class Counters
    {
        int plain;
    }

    private static String unreadable(final Kryo kryo, final Class<?> owner, final String name)
    {
        final Output output = new Output(256);
        kryo.writeClass(output, owner);
        output.writeString(name);
        final Input input = new Input(output.toBytes());
        @SuppressWarnings("unchecked")
        final Serializer<Object> serializer = kryo.getDefaultSerializer(AtomicIntegerFieldUpdater.class);
        return assertThrows(KryoException.class, () -> serializer.read(kryo, input, Object.class)).getMessage();
    }
}
