package dev.virgo.runtime.graph;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.BooleanSupplier;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Copies the thread being moved (a {@link Thread} subclass that is a root of the graph), and the other threads a
 * shared graph reaches (a master thread that holds the work, sibling workers in an array, the main thread kept to be
 * interrupted) as stand-ins: their application fields are shared like any object's, and on a node the calls that ask
 * about the thread itself ({@code isAlive}, {@code join}, {@code interrupt}, {@code getState}) are answered by the
 * real thread at the origin ({@code MovedThreadCalls}), and so is {@code start()} of one not started yet (the
 * origin starts the program's own). Refused: on a node, a thread the moved code made there (the origin has no thread
 * to answer for it).
 * <p>
 * Only what the program can observe travels: the fields declared below java.lang.Thread, the name, daemon flag,
 * priority and the Runnable target. java.lang.Thread's own state (thread id, status, VM handles) belongs to the
 * JVM that made it, so on read the instance is allocated without running the program's constructor (which may
 * have side effects, even call start()) and its Thread fields are taken from a freshly constructed template.
 * <p>
 * Wire layout, after Kryo's class and reference header:
 * <pre>
 *   name:String | daemon:boolean | priority:varint | target:classAndObject | field values:classAndObject...
 * </pre>
 * (fields in {@link GraphTypes#declaredInstanceFields} order, from the subclass up to Thread).
 */
final class ThreadSerializer extends Serializer<Thread>
{
    private static final StdInstantiatorStrategy ALLOCATOR = new StdInstantiatorStrategy();
    private static final ClassValue<Field[]> SUBCLASS_FIELDS = new ClassValue<>()
    {
        @Override
        protected Field[] computeValue(final Class<?> type)
        {
            return GraphTypes.declaredInstanceFields(type, Thread.class);
        }
    };

    private final Set<Object> allowed = Collections.newSetFromMap(new IdentityHashMap<>());
    private final BooleanSupplier onNode;

    /** @param onNode true while a node encodes (a release, a final state). */
    ThreadSerializer(final BooleanSupplier onNode)
    {
        this.onNode = onNode;
    }

    /** Threads among these objects (the roots, the shared table) may always be written; see the class comment. */
    void allowThreadsAmong(final Object[] objects)
    {
        for (final Object object : objects)
        {
            if (object instanceof Thread)
            {
                allowed.add(object);
            }
        }
    }

    void clearAllowed()
    {
        allowed.clear();
    }

    @Override
    public void write(final Kryo kryo, final Output output, final Thread thread)
    {
        if (!allowed.contains(thread))
        {
            if (onNode.getAsBoolean())
            {
                throw new RefusedObjectException(thread.getClass(), "a thread made on a node cannot be shared " +
                    "with the origin, which has no thread to answer for it");
            }
        }
        output.writeString(thread.getName());
        output.writeBoolean(thread.isDaemon());
        output.writeVarInt(thread.getPriority(), true);
        kryo.writeClassAndObject(output, ThreadFields.target(thread));
        try
        {
            for (final Field field : SUBCLASS_FIELDS.get(thread.getClass()))
            {
                kryo.writeClassAndObject(output, field.get(thread));
            }
        }
        catch (final IllegalAccessException ex)
        {
            throw new KryoException(ex);
        }
    }

    @Override
    public Thread read(final Kryo kryo, final Input input, final Class<? extends Thread> type)
    {
        final Thread thread = (Thread)ALLOCATOR.newInstantiatorOf(type).newInstance();
        kryo.reference(thread); // before reading fields, so a cycle back to the thread resolves to this instance
        final String name = input.readString();
        final boolean daemon = input.readBoolean();
        final int priority = input.readVarInt(true);
        final Runnable target = (Runnable)kryo.readClassAndObject(input);
        try
        {
            for (final Field field : SUBCLASS_FIELDS.get(type))
            {
                field.set(thread, kryo.readClassAndObject(input));
            }
        }
        catch (final IllegalAccessException ex)
        {
            throw new KryoException(ex);
        }
        ThreadFields.initializeUnstarted(thread, target, name);
        thread.setDaemon(daemon);
        thread.setPriority(priority);
        return thread;
    }
}
