package dev.virgo.runtime.graph;

import dev.virgo.runtime.classes.LambdaSupport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;

/**
 * Kryo's closure serializer, reading a lambda back through the capturing class's {@code $deserializeLambda$} when it
 * has one (its own full-privilege lookup, which {@code LambdaMetafactory} requires), else through {@link LambdaSupport}
 * in a private lookup of the class: a node makes every lambda of its classes serializable
 * ({@code SerializableLambdaRewriter#rewriteAll}), and the origin's copy of the capturing class, rewritten only for its
 * {@code Runnable} lambdas, may have no {@code $deserializeLambda$} (the origin's runtime shares the application's
 * unnamed module, so its private lookup has full privilege there). The wire is Kryo's.
 */
final class LambdaClosureSerializer extends ClosureSerializer
{
    @Override
    public Object read(final Kryo kryo, final Input input, final Class type)
    {
        final int count = input.readVarInt(true);
        final Object[] capturedArgs = new Object[count];
        for (int i = 0; i < count; i++)
        {
            capturedArgs[i] = kryo.readClassAndObject(input);
        }
        final Class<?> capturingClass = kryo.readClass(input).getType();
        final SerializedLambda lambda = new SerializedLambda(capturingClass, input.readString(), input.readString(),
            input.readString(), input.readVarInt(true), input.readString(), input.readString(), input.readString(),
            input.readString(), capturedArgs);
        try
        {
            final Method own = deserializer(capturingClass);
            if (null != own)
            {
                return own.invoke(null, lambda);
            }
            return LambdaSupport.deserialize(MethodHandles.privateLookupIn(capturingClass, MethodHandles.lookup()), lambda);
        }
        catch (final InvocationTargetException ex)
        {
            throw new KryoException("cannot rebuild a lambda of " + capturingClass.getName() + ": " + ex.getCause(),
                ex.getCause());
        }
        catch (final IllegalAccessException | IllegalArgumentException ex)
        {
            throw new KryoException("cannot rebuild a lambda of " + capturingClass.getName() + ": " + ex, ex);
        }
    }

    private static Method deserializer(final Class<?> capturingClass)
    {
        try
        {
            final Method method = capturingClass.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
            method.setAccessible(true);
            return method;
        }
        catch (final NoSuchMethodException | RuntimeException ex)
        {
            return null;
        }
    }
}
