package dev.virgo.runtime.graph;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphCodecRefusalTest
{
    private static final ClassLoader LOADER = GraphCodecRefusalTest.class.getClassLoader();

    private final GraphCodec codec = new GraphCodec(1 << 20);

    @Test
    void shouldRefuseGraphHoldingSocketNamingFieldAndClass()
    {
        final SocketHolder holder = new SocketHolder();
        final UnshippableGraphException ex = assertThrows(
            UnshippableGraphException.class, () -> codec.snapshot(new Object[]{holder}, LOADER));

        assertTrue(ex.getMessage().startsWith(SocketHolder.class.getName() + ".socket holds java.net.Socket: sockets"),
            ex.getMessage());
    }

    @Test
    void shouldShareAThreadTheProgramMadeButRefuseOneANodeMadeNamingThePath()
    {
        final Thread helper = new Thread("helper");
        final Wrapper wrapper = new Wrapper(new ThreadHolder(helper));
        final Image image = codec.read(codec.snapshot(new Object[]{wrapper, new Holder()}, LOADER).bytes(), LOADER);
        final Thread standIn = ((ThreadHolder)((Wrapper)image.roots()[0]).inner).helper;
        assertEquals("helper", standIn.getName(), "the program's thread travels as a stand-in");

        ((Holder)image.roots()[1]).value = new ThreadHolder(new Thread("made-on-the-node"));
        final UnshippableGraphException ex = assertThrows(UnshippableGraphException.class, image::release);

        assertTrue(ex.getMessage().contains(ThreadHolder.class.getName() + ".helper holds java.lang.Thread"), ex.getMessage());
        assertTrue(ex.getMessage().contains("made on a node"), ex.getMessage());
    }

    static final class Holder
    {
        Object value;
    }

    @Test
    void shouldConvertKryoFailureOnClosedJdkInternalsIntoUnshippableGraph()
    {
        final RandomHolder holder = new RandomHolder();
        final UnshippableGraphException ex = assertThrows(
            UnshippableGraphException.class, () -> codec.snapshot(new Object[]{holder}, LOADER));

        assertTrue(ex.getMessage().startsWith(RandomHolder.class.getName() + ".random cannot be copied"), ex.getMessage());
    }

    @Test
    void shouldRefuseOversizedGraphNamingTheLimit()
    {
        final GraphCodec small = new GraphCodec(1024);
        final GraphTooLargeException ex = assertThrows(
            GraphTooLargeException.class, () -> small.snapshot(new Object[]{new long[10_000]}, LOADER));

        assertEquals(1024, ex.limitBytes());
        assertTrue(ex.reachedBytes() > 1024);
        assertTrue(ex.getMessage().contains("maxGraphBytes=1024"), ex.getMessage());
    }

    @Test
    void shouldRefuseOversizedFinalState()
    {
        final GraphCodec small = new GraphCodec(1024);
        final List<long[]> results = new ArrayList<>();
        final Snapshot snapshot = small.snapshot(new Object[]{results}, LOADER);
        final Image image = small.read(snapshot.bytes(), LOADER);
        @SuppressWarnings("unchecked") final List<long[]> copy = (List<long[]>)image.roots()[0];
        copy.add(new long[10_000]);

        assertThrows(GraphTooLargeException.class, image::finalState);
    }

    @Test
    void shouldStayUsableAfterARefusedGraph()
    {
        assertThrows(UnshippableGraphException.class, () -> codec.snapshot(new Object[]{new SocketHolder()}, LOADER));
        final int[] data = {1};
        final Snapshot snapshot = codec.snapshot(new Object[]{data}, LOADER);
        final Image image = codec.read(snapshot.bytes(), LOADER);
        ((int[])image.roots()[0])[0] = 2;
        snapshot.mergeBack(image.finalState());
        assertEquals(2, data[0]);
    }

    @Test
    void shouldDecodeExceptionAsSameClassWithMessageStackTraceCauseAndSuppressed()
    {
        final IOException cause = new IOException("disk gone");
        final IllegalStateException thrown = new IllegalStateException("worker failed", cause);
        thrown.addSuppressed(new ArithmeticException("/ by zero"));

        final Throwable decoded = codec.decodeThrowable(codec.encodeThrowable(thrown), LOADER);

        assertInstanceOf(IllegalStateException.class, decoded);
        assertNotSame(thrown, decoded);
        assertEquals("worker failed", decoded.getMessage());
        assertArrayEquals(thrown.getStackTrace(), decoded.getStackTrace());
        assertInstanceOf(IOException.class, decoded.getCause());
        assertEquals("disk gone", decoded.getCause().getMessage());
        assertArrayEquals(cause.getStackTrace(), decoded.getCause().getStackTrace());
        assertEquals(1, decoded.getSuppressed().length);
        assertInstanceOf(ArithmeticException.class, decoded.getSuppressed()[0]);
    }

    @Test
    void shouldDecodeApplicationExceptionWithItsOwnFields()
    {
        final Throwable decoded = codec.decodeThrowable(codec.encodeThrowable(new WorkerFailure("bad row", 17)), LOADER);

        assertInstanceOf(WorkerFailure.class, decoded);
        assertEquals("bad row", decoded.getMessage());
        assertEquals(17, ((WorkerFailure)decoded).row);
    }

    @Test
    void shouldFallBackToRemoteThrowableWhenClassCannotBeLoaded()
    {
        final WorkerFailure thrown = new WorkerFailure("bad row", 3);
        thrown.initCause(new IOException("io"));
        final ClassLoader withoutIt = new HidingLoader(LOADER, WorkerFailure.class.getName());

        final Throwable decoded = codec.decodeThrowable(codec.encodeThrowable(thrown), withoutIt);

        final RemoteThrowable remote = assertInstanceOf(RemoteThrowable.class, decoded);
        assertEquals(WorkerFailure.class.getName(), remote.remoteClassName());
        assertEquals("bad row", remote.getMessage());
        assertTrue(remote.toString().startsWith(WorkerFailure.class.getName() + ": bad row"));
        assertArrayEquals(thrown.getStackTrace(), remote.getStackTrace());
        assertInstanceOf(IOException.class, remote.getCause());
    }

    @Test
    void shouldNotResolveClassesThroughAKryoBoundToAnotherLoader()
    {
        final GraphKryo first = codec.borrow(LOADER);
        codec.release(first, true);
        final ClassLoader other = new HidingLoader(LOADER, "nothing");

        final GraphKryo second = codec.borrow(other);

        assertNotSame(first, second);
        assertSame(other, second.kryo().getClassLoader());
    }

    static final class SocketHolder
    {
        final Socket socket = new Socket();
    }

    static final class ThreadHolder
    {
        final Thread helper;

        ThreadHolder(final Thread helper)
        {
            this.helper = helper;
        }
    }

    static final class Wrapper
    {
        final Object inner;

        Wrapper(final Object inner)
        {
            this.inner = inner;
        }
    }

    static final class RandomHolder
    {
        final java.util.Random random = new java.util.Random(1);
    }

    static final class WorkerFailure extends RuntimeException
    {
        final int row;

        WorkerFailure(final String message, final int row)
        {
            super(message);
            this.row = row;
        }
    }

    /** Simulates an origin that lacks one class of the node. */
    static final class HidingLoader extends ClassLoader
    {
        private final String hidden;

        HidingLoader(final ClassLoader parent, final String hidden)
        {
            super(parent);
            this.hidden = hidden;
        }

        @Override
        protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException
        {
            if (name.equals(hidden))
            {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
