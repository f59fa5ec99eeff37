package dev.virgo.runtime.graph;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.IdentityHashMap;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Encodes the exception that ended a moved thread so the origin can rethrow the same class.
 * <p>
 * The structure is written by hand rather than by Kryo, so that an exception whose class the origin cannot load
 * still decodes (as a {@link RemoteThrowable}) without losing the rest of the chain. Exceptions are allocated
 * without a constructor, which may format the message or have side effects, and Throwable's own fields are set
 * reflectively (java.lang is opened to Virgo). Layout:
 * <pre>
 *   count:varint, then per exception (index 0 is the thrown one; causes and suppressed refer to indexes):
 *     className:String | message:String? | frames:varint | frame... | cause:varint (index + 1, 0 = none)
 *     | suppressed:varint | index:varint... | fieldsLength:varint | fields:bytes (a Kryo graph, Object[])
 *   frame: classLoaderName:String? | moduleName:String? | moduleVersion:String? | declaringClass:String
 *     | methodName:String | fileName:String? | lineNumber:int
 * </pre>
 * The fields blob holds the values of fields declared by application classes of the exception; it is empty when
 * they cannot be encoded, and ignored when they cannot be decoded.
 */
final class ThrowableCodec
{
    private static final StdInstantiatorStrategy ALLOCATOR = new StdInstantiatorStrategy();
    private static final Field DETAIL_MESSAGE;
    private static final Field CAUSE;
    private static final Field STACK_TRACE;
    private static final Field SUPPRESSED;

    static
    {
        Field detailMessage = null;
        Field cause = null;
        Field stackTrace = null;
        Field suppressed = null;
        try
        {
            detailMessage = accessible("detailMessage");
            cause = accessible("cause");
            stackTrace = accessible("stackTrace");
            suppressed = accessible("suppressedExceptions");
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            detailMessage = null; // java.lang not open: every exception decodes as a RemoteThrowable
        }
        DETAIL_MESSAGE = detailMessage;
        CAUSE = cause;
        STACK_TRACE = stackTrace;
        SUPPRESSED = suppressed;
    }

    private final GraphCodec codec;

    ThrowableCodec(final GraphCodec codec)
    {
        this.codec = codec;
    }

    byte[] encode(final Throwable thrown)
    {
        final ArrayList<Throwable> all = new ArrayList<>();
        final IdentityHashMap<Throwable, Integer> index = new IdentityHashMap<>();
        add(thrown, all, index);
        for (int i = 0; i < all.size(); i++) // grows while walking: breadth first over causes and suppressed
        {
            final Throwable t = all.get(i);
            if (t.getCause() != null)
            {
                add(t.getCause(), all, index);
            }
            for (final Throwable s : t.getSuppressed())
            {
                add(s, all, index);
            }
        }

        final Output out = new Output(1024, -1);
        out.writeVarInt(all.size(), true);
        for (final Throwable t : all)
        {
            out.writeString(t.getClass().getName());
            out.writeString(t instanceof RemoteThrowable ? ((RemoteThrowable)t).remoteMessage() : t.getMessage());
            final StackTraceElement[] frames = t.getStackTrace();
            out.writeVarInt(frames.length, true);
            for (final StackTraceElement frame : frames)
            {
                out.writeString(frame.getClassLoaderName());
                out.writeString(frame.getModuleName());
                out.writeString(frame.getModuleVersion());
                out.writeString(frame.getClassName());
                out.writeString(frame.getMethodName());
                out.writeString(frame.getFileName());
                out.writeInt(frame.getLineNumber());
            }
            out.writeVarInt(t.getCause() == null ? 0 : index.get(t.getCause()) + 1, true);
            final Throwable[] suppressed = t.getSuppressed();
            out.writeVarInt(suppressed.length, true);
            for (final Throwable s : suppressed)
            {
                out.writeVarInt(index.get(s), true);
            }
            final byte[] fields = encodeFields(t);
            out.writeVarInt(fields.length, true);
            out.writeBytes(fields);
        }
        return out.toBytes();
    }

    /** @param offer the thread's offer at the origin, or null on a node (which trusts the origin). */
    Throwable decode(final byte[] bytes, final ClassLoader loader, final ClassOffer offer)
    {
        final Input in = new Input(bytes);
        final int count = in.readVarInt(true);
        final Throwable[] all = new Throwable[count];
        final int[] causes = new int[count];
        final int[][] suppressed = new int[count][];
        for (int i = 0; i < count; i++)
        {
            final String className = in.readString();
            final String message = in.readString();
            final StackTraceElement[] frames = new StackTraceElement[in.readVarInt(true)];
            for (int f = 0; f < frames.length; f++)
            {
                frames[f] = new StackTraceElement(in.readString(), in.readString(), in.readString(), in.readString(),
                    in.readString(), in.readString(), in.readInt());
            }
            causes[i] = in.readVarInt(true) - 1;
            suppressed[i] = new int[in.readVarInt(true)];
            for (int s = 0; s < suppressed[i].length; s++)
            {
                suppressed[i][s] = in.readVarInt(true);
            }
            final byte[] fields = in.readBytes(in.readVarInt(true));
            all[i] = rebuild(className, message, frames, loader, offer);
            decodeFields(all[i], fields, loader, offer);
        }
        for (int i = 0; i < count; i++)
        {
            final Throwable cause = causes[i] < 0 ? null : all[causes[i]];
            setCause(all[i], cause);
            for (final int s : suppressed[i])
            {
                if (all[s] != all[i])
                {
                    all[i].addSuppressed(all[s]);
                }
            }
        }
        return all[0];
    }

    private static Throwable rebuild(
        final String className,
        final String message,
        final StackTraceElement[] frames,
        final ClassLoader loader,
        final ClassOffer offer)
    {
        if (DETAIL_MESSAGE != null)
        {
            try
            {
                final Class<?> type = Class.forName(className, false, loader);
                final String refusal = null == offer ? null : offer.refusal(type);
                if (null != refusal)
                {
                    final RemoteThrowable remote = new RemoteThrowable(className, message, frames);
                    remote.addSuppressed(new UnofferedClassException(className, offer.description(), refusal));
                    return remote;
                }
                if (Throwable.class.isAssignableFrom(type) && !RemoteThrowable.class.isAssignableFrom(type))
                {
                    final Throwable t = (Throwable)ALLOCATOR.newInstantiatorOf(type).newInstance();
                    DETAIL_MESSAGE.set(t, message);
                    STACK_TRACE.set(t, frames);
                    SUPPRESSED.set(t, new ArrayList<Throwable>());
                    CAUSE.set(t, t); // Throwable's own "cause not yet set" marker
                    return t;
                }
            }
            catch (final ReflectiveOperationException | LinkageError | RuntimeException ex)
            {
                // fall through: the class cannot be rebuilt here
            }
        }
        return new RemoteThrowable(className, message, frames);
    }

    private static void setCause(final Throwable t, final Throwable cause)
    {
        if (cause == null || cause == t)
        {
            return;
        }
        try
        {
            t.initCause(cause);
        }
        catch (final IllegalStateException | IllegalArgumentException ex)
        {
            if (CAUSE != null && !(t instanceof RemoteThrowable))
            {
                try
                {
                    CAUSE.set(t, cause);
                }
                catch (final IllegalAccessException ignored)
                {
                    // keep the exception without its cause rather than fail the whole decode
                }
            }
        }
    }

    private byte[] encodeFields(final Throwable t)
    {
        final Field[] fields = GraphTypes.adoptedFields(t.getClass());
        if (fields.length == 0 || t instanceof RemoteThrowable)
        {
            return new byte[0];
        }
        final GraphKryo kryo = new GraphKryo(t.getClass().getClassLoader()); // node side: never pooled
        try
        {
            final Object[] values = new Object[fields.length];
            for (int i = 0; i < fields.length; i++)
            {
                values[i] = fields[i].get(t);
            }
            final LimitedOutput out = new LimitedOutput(codec.maxGraphBytes());
            kryo.kryo().writeClassAndObject(out, values);
            return out.toBytes();
        }
        catch (final ReflectiveOperationException | RuntimeException | StackOverflowError ex)
        {
            return new byte[0]; // the exception still travels, without its own fields
        }
        finally
        {
            kryo.reset();
        }
    }

    private void decodeFields(final Throwable t, final byte[] bytes, final ClassLoader loader, final ClassOffer offer)
    {
        if (bytes.length == 0 || t instanceof RemoteThrowable)
        {
            return;
        }
        final GraphKryo kryo = codec.borrow(loader, offer);
        boolean healthy = false;
        try
        {
            final Object[] values = (Object[])kryo.kryo().readClassAndObject(new Input(bytes));
            healthy = true;
            final Field[] fields = GraphTypes.adoptedFields(t.getClass());
            for (int i = 0; i < fields.length && i < values.length; i++)
            {
                fields[i].set(t, values[i]);
            }
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
        {
            // the exception keeps its class, message and trace; its own fields stay at their defaults (a field's
            // class may not even initialize here: ExceptionInInitializerError is a LinkageError; or it was not
            // offered to the thread: UnofferedClassException)
        }
        finally
        {
            codec.release(kryo, healthy);
        }
    }

    private static void add(final Throwable t, final ArrayList<Throwable> all, final IdentityHashMap<Throwable, Integer> index)
    {
        if (!index.containsKey(t))
        {
            index.put(t, all.size());
            all.add(t);
        }
    }

    private static Field accessible(final String name) throws NoSuchFieldException
    {
        final Field field = Throwable.class.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
