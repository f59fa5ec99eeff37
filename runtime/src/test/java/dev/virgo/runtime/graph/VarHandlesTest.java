package dev.virgo.runtime.graph;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A VarHandle travels as what it reaches (a field, by its class and name; an array class's elements): the copy is a
 * VarHandle this side made for the same field of its own class, so an access made on a copy reaches the copies.
 */
class VarHandlesTest
{
    private static final ClassLoader LOADER = VarHandlesTest.class.getClassLoader();

    private final GraphCodec codec = new GraphCodec(1 << 20);

    /** Two fields of each type: the handle must reach the one it was made for. */
    static final class Slots
    {
        static final VarHandle HEAD;
        static final VarHandle TOTAL;
        static final VarHandle EPOCH;
        static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);

        static volatile long epoch;
        static volatile long era;

        private volatile int tail;
        private volatile int head;
        private volatile String name = "";
        private volatile String total = "";
        final long[] cells = new long[4];

        static
        {
            try
            {
                final MethodHandles.Lookup lookup = MethodHandles.lookup();
                HEAD = lookup.findVarHandle(Slots.class, "head", int.class);
                TOTAL = lookup.findVarHandle(Slots.class, "total", String.class).withInvokeExactBehavior();
                EPOCH = lookup.findStaticVarHandle(Slots.class, "epoch", long.class);
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new ExceptionInInitializerError(ex);
            }
        }
    }

    @Test
    void shouldCopyAVarHandleAsOneOfTheSameFieldOrArrayClass()
    {
        final Slots slots = new Slots();
        final Object[] copies = (Object[])codec.read(codec.snapshot(new Object[] {
            List.of(slots, Slots.HEAD, Slots.TOTAL, Slots.EPOCH, Slots.CELLS).toArray()}, LOADER).bytes(),
            LOADER).roots()[0];

        final Slots copy = (Slots)copies[0];
        final VarHandle head = (VarHandle)copies[1];
        final VarHandle total = (VarHandle)copies[2];
        final VarHandle epoch = (VarHandle)copies[3];
        final VarHandle cells = (VarHandle)copies[4];
        assertNotSame(Slots.HEAD, head, "a VarHandle made on this side");

        assertEquals(0, (int)head.getAndAdd(copy, 3));
        assertTrue(total.compareAndSet(copy, "", "six"));
        assertTrue(total.hasInvokeExactBehavior(), "with its invocation behaviour");
        assertFalse(head.hasInvokeExactBehavior());
        assertEquals(0L, (long)epoch.getAndAdd(2L));
        assertEquals(0L, (long)cells.getAndAdd(copy.cells, 1, 9L));

        assertEquals(3, copy.head);
        assertEquals(0, copy.tail, "the field it was made for, not its neighbour");
        assertEquals("six", copy.total);
        assertEquals("", copy.name);
        assertEquals(2L, Slots.epoch, "a static field's handle reaches this side's static");
        assertEquals(0L, Slots.era);
        assertEquals(9L, copy.cells[1]);
        assertEquals(0, slots.head, "the copy's handles reach the copies");
        Slots.epoch = 0;
    }

    @Test
    void shouldRefuseAViewOfAnArrayAsAnotherType()
    {
        final Object[] holder = {MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN)};
        final UnshippableGraphException ex = assertThrows(UnshippableGraphException.class,
            () -> codec.snapshot(new Object[] {holder}, LOADER));
        assertTrue(ex.getMessage().contains("a view of a byte array or buffer"), ex.getMessage());
    }

    @Test
    void shouldRefuseAVarHandleANodeNamesForAFieldItCannotHave()
    {
        final Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(false);
        VarHandleSerializers.register(kryo);

        assertTrue(unreadable(kryo, (byte)1, Thread.class, "tid", long.class)
            .contains("only the fields of the program's classes"), "the origin makes none for a JDK class's field");
        assertTrue(unreadable(kryo, (byte)1, Slots.class, "absent", int.class).contains("cannot be had here"));
        assertTrue(unreadable(kryo, (byte)1, Slots.class, "head", long.class).contains("cannot be had here"),
            "a field of another type");
        assertTrue(unreadable(kryo, (byte)3, String.class, null, null).contains("which is not an array"));
        assertTrue(unreadable(kryo, (byte)9, Slots.class, null, null).contains("none this knows"));
    }

    private static String unreadable(
        final Kryo kryo, final byte kind, final Class<?> owner, final String name, final Class<?> type)
    {
        final Output output = new Output(256);
        output.writeBoolean(false);
        output.writeByte(kind);
        kryo.writeClass(output, owner);
        if (null != name)
        {
            output.writeString(name);
            kryo.writeClass(output, type);
        }
        final Input input = new Input(output.toBytes());
        return assertThrows(KryoException.class,
            () -> kryo.getDefaultSerializer(VarHandle.class).read(kryo, input, VarHandle.class)).getMessage();
    }
}
