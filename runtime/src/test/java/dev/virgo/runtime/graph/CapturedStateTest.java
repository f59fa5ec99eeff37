package dev.virgo.runtime.graph;

import java.net.Socket;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anonymous and inner classes hold what they capture in synthetic fields ({@code this$0} for the enclosing
 * instance, {@code val$name} for a captured local): those travel to the node and merge back like any field.
 * The classes under test are written as ordinary code writes them, in instance methods of an outer class.
 */
class CapturedStateTest
{
    private static final ClassLoader LOADER = CapturedStateTest.class.getClassLoader();

    private final GraphCodec codec = new GraphCodec(1 << 20);

    private byte[] runOnNode(final Snapshot snapshot, final Consumer<Object[]> thread)
    {
        final Image image = codec.read(snapshot.bytes(), LOADER);
        thread.accept(image.roots());
        return image.finalState();
    }

    @Test
    void shouldReadCapturedLocalAndOuterFieldInAnonymousRunnableAndWriteBackCapturedArray()
    {
        final Outer outer = new Outer(7);
        final int[] result = new int[1];
        final Runnable task = outer.multiplyInto(result, 6);
        final Snapshot snapshot = codec.snapshot(new Object[]{task}, LOADER);

        snapshot.mergeBack(runOnNode(snapshot, roots -> ((Runnable)roots[0]).run()));

        assertArrayEquals(new int[]{42}, result);
    }

    @Test
    void shouldWriteBackInnerRunnableWritesToItsOuterInstance()
    {
        final Outer outer = new Outer(2);
        outer.total = 100;
        final Runnable adder = outer.new Adder(5);
        final Snapshot snapshot = codec.snapshot(new Object[]{adder}, LOADER);

        snapshot.mergeBack(runOnNode(snapshot, roots -> ((Runnable)roots[0]).run()));

        assertEquals(110, outer.total, "total += factor * amount, on the origin's outer instance");
    }

    @Test
    void shouldLandWritesOfTwoInnerRunnablesOfOneOuterToDisjointFields()
    {
        final Outer outer = new Outer(3);
        final Snapshot first = codec.snapshot(new Object[]{outer.new Adder(1)}, LOADER);
        final Snapshot second = codec.snapshot(new Object[]{outer.new Labeller("done")}, LOADER);

        final byte[] firstState = runOnNode(first, roots -> ((Runnable)roots[0]).run());
        final byte[] secondState = runOnNode(second, roots -> ((Runnable)roots[0]).run());
        first.mergeBack(firstState);
        second.mergeBack(secondState);

        assertEquals(3, outer.total);
        assertEquals("done:3", outer.label);
    }

    @Test
    void shouldReadCapturedValuesInAnonymousThreadSubclass() throws InterruptedException
    {
        final Outer outer = new Outer(4);
        final long[] out = new long[1];
        final Thread thread = outer.threadSquaring(out, 9);
        final Snapshot snapshot = codec.snapshot(new Object[]{thread}, LOADER);

        final Image image = codec.read(snapshot.bytes(), LOADER);
        final Thread copy = (Thread)image.roots()[0];
        copy.start();
        copy.join();
        snapshot.mergeBack(image.finalState());

        assertArrayEquals(new long[]{81 * 4}, out);
    }

    @Test
    void shouldAttachInnerObjectCreatedByTheThreadToTheOriginalOuterInstance()
    {
        final Outer outer = new Outer(1);
        final Snapshot snapshot = codec.snapshot(new Object[]{outer}, LOADER);

        snapshot.mergeBack(runOnNode(snapshot, roots ->
        {
            final Outer copy = (Outer)roots[0];
            copy.lastAdder = copy.new Adder(8);
        }));

        assertNotNull(outer.lastAdder);
        assertSame(outer, outer.lastAdder.outer(), "this$0 of the new inner object is the original outer");
        outer.lastAdder.run();
        assertEquals(8, outer.total);
    }

    @Test
    void shouldRefuseAnonymousRunnableWhoseOuterInstanceHoldsASocketNamingThePath()
    {
        final Runnable task = new Connection().sender(new int[1]);

        final UnshippableGraphException ex = assertThrows(
            UnshippableGraphException.class, () -> codec.snapshot(new Object[]{task}, LOADER));

        assertTrue(ex.getMessage().startsWith(Connection.class.getName() + ".socket holds java.net.Socket"),
            ex.getMessage());
        assertTrue(ex.getMessage().contains(task.getClass().getName() + ".this$0"), ex.getMessage());
    }

    @Test
    void shouldRunRecordAndLambdaWithTheirCapturedStateUnchanged()
    {
        final int[] out = new int[2];
        final Fill fill = new Fill(out, 5);
        final int k = 11;
        final Runnable lambda = (Runnable & java.io.Serializable)() -> out[1] = k;
        final Snapshot snapshot = codec.snapshot(new Object[]{fill, lambda}, LOADER);

        snapshot.mergeBack(runOnNode(snapshot, roots ->
        {
            ((Runnable)roots[0]).run();
            ((Runnable)roots[1]).run();
        }));

        assertArrayEquals(new int[]{5, 11}, out);
    }

    /** Ordinary application code: anonymous and inner classes made in instance methods. */
    static final class Outer
    {
        private final int factor;
        int total;
        String label;
        Adder lastAdder;

        Outer(final int factor)
        {
            this.factor = factor;
        }

        Runnable multiplyInto(final int[] result, final int k)
        {
            return new Runnable()
            {
                @Override
                public void run()
                {
                    result[0] = k * factor;
                }
            };
        }

        Thread threadSquaring(final long[] out, final long k)
        {
            return new Thread("squaring")
            {
                @Override
                public void run()
                {
                    out[0] = k * k * factor;
                }
            };
        }

        final class Adder implements Runnable
        {
            private final int amount;

            Adder(final int amount)
            {
                this.amount = amount;
            }

            Outer outer()
            {
                return Outer.this;
            }

            @Override
            public void run()
            {
                Outer.this.total += factor * amount;
            }
        }

        final class Labeller implements Runnable
        {
            private final String text;

            Labeller(final String text)
            {
                this.text = text;
            }

            @Override
            public void run()
            {
                label = text + ":" + factor;
            }
        }
    }

    static final class Connection
    {
        final Socket socket = new Socket();

        Runnable sender(final int[] sent)
        {
            return new Runnable()
            {
                @Override
                public void run()
                {
                    sent[0] = socket.isConnected() ? 1 : 0;
                }
            };
        }
    }

    record Fill(int[] out, int value) implements Runnable
    {
        @Override
        public void run()
        {
            out[0] = value;
        }
    }
}
