package dev.virgo.runtime.node;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The node's {@code System.out} and {@code System.err}: what a moved thread prints goes back to its origin's
 * console, line by line and in order for that thread; what the node itself prints stays on the node.
 */
final class RemoteOutput
{
    /** Receives one thread's printed bytes; implemented by the runner that sends OUTPUT messages. */
    interface Sink
    {
        void write(int stream, byte[] bytes, int length);
    }

    static final int OUT = 1;
    static final int ERR = 2;
    private static final int FLUSH_THRESHOLD_BYTES = 8 * 1024;
    private static final ThreadLocal<Buffers> CURRENT = new ThreadLocal<>();
    private static volatile boolean installed;

    private RemoteOutput()
    {
    }

    static synchronized void install()
    {
        if (!installed)
        {
            System.setOut(new PrintStream(new Router(OUT, System.out), true));
            System.setErr(new PrintStream(new Router(ERR, System.err), true));
            installed = true;
        }
    }

    /** Routes this thread's output to the sink until {@link #detach()}. */
    static void attach(final Sink sink)
    {
        CURRENT.set(new Buffers(sink));
    }

    /** Sends what this thread has printed so far, so that a message sent after it arrives after its output. */
    static void flush()
    {
        final Buffers buffers = CURRENT.get();
        if (null != buffers)
        {
            System.out.flush();
            System.err.flush();
            buffers.flush(OUT);
            buffers.flush(ERR);
        }
    }

    /** Flushes what is left and stops routing this thread's output. */
    static void detach()
    {
        flush();
        CURRENT.remove();
    }

    private static final class Buffers
    {
        final Sink sink;
        final byte[][] bytes = {null, new byte[256], new byte[256]};
        final int[] lengths = new int[3];

        Buffers(final Sink sink)
        {
            this.sink = sink;
        }

        void append(final int stream, final byte[] b, final int off, final int len)
        {
            if (lengths[stream] + len > bytes[stream].length)
            {
                bytes[stream] = Arrays.copyOf(bytes[stream], Math.max(bytes[stream].length * 2, lengths[stream] + len));
            }
            System.arraycopy(b, off, bytes[stream], lengths[stream], len);
            lengths[stream] += len;
            if (lengths[stream] >= FLUSH_THRESHOLD_BYTES)
            {
                flush(stream);
            }
        }

        void flush(final int stream)
        {
            if (lengths[stream] > 0)
            {
                sink.write(stream, bytes[stream], lengths[stream]);
                lengths[stream] = 0;
            }
        }
    }

    private static final class Router extends OutputStream
    {
        private final int stream;
        private final PrintStream local;

        Router(final int stream, final PrintStream local)
        {
            this.stream = stream;
            this.local = local;
        }

        @Override
        public void write(final int b)
        {
            write(new byte[] {(byte)b}, 0, 1);
        }

        @Override
        public void write(final byte[] b, final int off, final int len)
        {
            final Buffers buffers = CURRENT.get();
            if (null == buffers)
            {
                local.write(b, off, len);
            }
            else
            {
                buffers.append(stream, b, off, len);
            }
        }

        @Override
        public void flush()
        {
            final Buffers buffers = CURRENT.get();
            if (null == buffers)
            {
                local.flush();
            }
            else
            {
                buffers.flush(stream);
            }
        }
    }
}
