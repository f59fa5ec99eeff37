package dev.virgo.runtime.graph;

import java.lang.constant.ClassDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Optional;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.objectweb.asm.Type;

/**
 * A {@code VarHandle} the program keeps (in a static, usually) is shared like an atomic: on a node every access mode
 * the application calls on one ({@code compareAndSet}, {@code getAndAdd}, {@code getVolatile}, plain {@code get}...)
 * is carried to the origin and made there on the origin's VarHandle, against the origin's objects
 * ({@code SyncContext#invoke}); the acquire after it brings what it changed to the node. A VarHandle has no value of
 * its own: it travels as what it reaches, and each side makes its own for its own classes, as the program would:
 * <ul>
 *     <li>an instance field: the class it was looked up in, the field's name and type
 *     ({@code Lookup.findVarHandle});</li>
 *     <li>a static field: the declaring class, the name and type ({@code Lookup.findStaticVarHandle});</li>
 *     <li>the elements of an array class ({@code MethodHandles.arrayElementVarHandle}).</li>
 * </ul>
 * What a VarHandle reaches is what it describes of itself ({@code describeConstable()}, the JDK's public account of
 * it). Views of byte arrays and buffers, and VarHandles made by combinators, describe nothing and are refused, naming
 * why; so are fields of the JDK's classes, which a node cannot have the origin reach. Whether the VarHandle has exact
 * invocation behaviour travels with it.
 * <p>
 * Wire layout, after Kryo's class and reference header:
 * {@code kind:byte exact:boolean class:class [name:string type:class]} (the name and type for a field's).
 */
final class VarHandleSerializers extends ExactJdkSerializer<VarHandle>
{
    private static final byte INSTANCE_FIELD = 1;
    private static final byte STATIC_FIELD = 2;
    private static final byte ARRAY_ELEMENT = 3;

    private VarHandleSerializers()
    {
    }

    static void register(final Kryo kryo)
    {
        kryo.addDefaultSerializer(VarHandle.class, new VarHandleSerializers());
    }

    @Override
    void writeValue(final Kryo kryo, final Output output, final VarHandle handle)
    {
        final List<Class<?>> coordinates = handle.coordinateTypes();
        final Optional<VarHandle.VarHandleDesc> described = handle.describeConstable();
        final String bootstrap = described.map(desc -> desc.bootstrapMethod().methodName()).orElse("");
        output.writeBoolean(handle.hasInvokeExactBehavior());
        if ("arrayVarHandle".equals(bootstrap))
        {
            output.writeByte(ARRAY_ELEMENT);
            kryo.writeClass(output, coordinates.get(0));
        }
        else if ("fieldVarHandle".equals(bootstrap) && coordinates.size() == 1)
        {
            output.writeByte(INSTANCE_FIELD);
            kryo.writeClass(output, coordinates.get(0));
            output.writeString(described.get().constantName());
            kryo.writeClass(output, handle.varType());
        }
        else if ("staticFieldVarHandle".equals(bootstrap) && coordinates.isEmpty())
        {
            final String owner = ((ClassDesc)described.get().bootstrapArgsList().get(0)).descriptorString();
            final Class<?> declaring;
            try
            {
                declaring = Class.forName(Type.getType(owner).getClassName(), false, kryo.getClassLoader());
            }
            catch (final ClassNotFoundException ex)
            {
                throw new RefusedObjectException(handle.getClass(), "a VarHandle of a static field of " + owner +
                    ", a class this side's loader does not have");
            }
            output.writeByte(STATIC_FIELD);
            kryo.writeClass(output, declaring);
            output.writeString(described.get().constantName());
            kryo.writeClass(output, handle.varType());
        }
        else
        {
            throw new RefusedObjectException(handle.getClass(), "a VarHandle that is not a field's or an array's " +
                "elements' (a view of a byte array or buffer, one made by combinators) is not shared with other JVMs");
        }
    }

    @Override
    public VarHandle read(final Kryo kryo, final Input input, final Class<? extends VarHandle> type)
    {
        final boolean exact = input.readBoolean();
        final byte kind = input.readByte();
        final Class<?> owner = kryo.readClass(input).getType();
        final VarHandle handle;
        if (kind == ARRAY_ELEMENT)
        {
            if (!owner.isArray())
            {
                throw new KryoException("a VarHandle of the elements of " + owner.getName() + ", which is not an array");
            }
            handle = MethodHandles.arrayElementVarHandle(owner);
        }
        else if (kind == INSTANCE_FIELD || kind == STATIC_FIELD)
        {
            final String name = input.readString();
            final Class<?> fieldType = kryo.readClass(input).getType();
            if (GraphTypes.isJdk(owner))
            {
                throw new KryoException("a VarHandle of " + owner.getName() + "." + name + ": only the fields of the " +
                    "program's classes are shared through VarHandles");
            }
            try
            {
                final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
                handle = kind == INSTANCE_FIELD ? lookup.findVarHandle(owner, name, fieldType) :
                    lookup.findStaticVarHandle(owner, name, fieldType);
            }
            catch (final ReflectiveOperationException | RuntimeException ex)
            {
                throw new KryoException("a VarHandle of " + owner.getName() + "." + name + ", which cannot be had " +
                    "here: " + ex, ex);
            }
        }
        else
        {
            throw new KryoException("a VarHandle of kind " + kind + ", which is none this knows");
        }
        return exact ? handle.withInvokeExactBehavior() : handle;
    }
}
