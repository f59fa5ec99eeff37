package dev.virgo.runtime.classes;

import dev.virgo.runtime.sharing.ConcurrentTypes;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds a lambda from its {@link SerializedLambda}, called from the {@code $deserializeLambda$} that
 * {@link SerializableLambdaRewriter} adds to a capturing class. The caller passes its own full-privilege lookup,
 * which is what {@link LambdaMetafactory} needs to reach a private {@code lambda$main$0} implementation method.
 */
public final class LambdaSupport
{
    private LambdaSupport()
    {
    }

    public static Object deserialize(final MethodHandles.Lookup lookup, final SerializedLambda lambda)
    {
        try
        {
            final ClassLoader loader = lookup.lookupClass().getClassLoader();
            final Class<?> functionalInterface =
                Class.forName(lambda.getFunctionalInterfaceClass().replace('/', '.'), false, loader);
            final Class<?> implClass = Class.forName(lambda.getImplClass().replace('/', '.'), false, loader);
            final MethodType implType = MethodType.fromMethodDescriptorString(lambda.getImplMethodSignature(), loader);
            final MethodHandle impl = findImplementation(lookup, lambda, implClass, implType);

            final int captured = lambda.getCapturedArgCount();
            final List<Class<?>> capturedTypes = new ArrayList<>(impl.type().parameterList().subList(0, captured));
            final MethodType factoryType = MethodType.methodType(functionalInterface, capturedTypes);
            final MethodType samType =
                MethodType.fromMethodDescriptorString(lambda.getFunctionalInterfaceMethodSignature(), loader);
            final MethodType instantiatedType =
                MethodType.fromMethodDescriptorString(lambda.getInstantiatedMethodType(), loader);

            final CallSite site = LambdaMetafactory.altMetafactory(
                lookup, lambda.getFunctionalInterfaceMethodName(), factoryType,
                samType, impl, instantiatedType, LambdaMetafactory.FLAG_SERIALIZABLE);
            final Object[] args = new Object[captured];
            for (int i = 0; i < captured; i++)
            {
                args[i] = lambda.getCapturedArg(i);
            }
            return site.getTarget().invokeWithArguments(args);
        }
        catch (final Throwable ex)
        {
            throw new IllegalArgumentException("cannot rebuild lambda " + lambda.getImplClass() + "." +
                lambda.getImplMethodName() + lambda.getImplMethodSignature() + " captured by " +
                lambda.getCapturingClass() + ": " + ex, ex);
        }
    }

    private static MethodHandle findImplementation(
        final MethodHandles.Lookup lookup,
        final SerializedLambda lambda,
        final Class<?> implClass,
        final MethodType implType) throws ReflectiveOperationException
    {
        final String name = lambda.getImplMethodName();
        final int kind = lambda.getImplMethodKind();
        if ((kind == MethodHandleInfo.REF_invokeVirtual || kind == MethodHandleInfo.REF_invokeInterface) &&
            ConcurrentTypes.isSharedConcurrentMethod(lambda.getImplClass(), name, implType.toMethodDescriptorString()))
        {
            final MethodHandle bridge = findOwnBridge(lookup, implClass, name, implType);
            if (null != bridge)
            {
                return bridge;
            }
        }
        if (implClass != lookup.lookupClass())
        {
            try
            {
                return find(lookup, kind, implClass, name, implType); // a public method (Math::max) of any module
            }
            catch (final IllegalAccessException ex)
            {
                return find(MethodHandles.privateLookupIn(implClass, lookup), kind, implClass, name, implType);
            }
        }
        return find(lookup, kind, implClass, name, implType);
    }

    private static MethodHandle find(
        final MethodHandles.Lookup implLookup,
        final int kind,
        final Class<?> implClass,
        final String name,
        final MethodType implType) throws ReflectiveOperationException
    {
        switch (kind)
        {
            case MethodHandleInfo.REF_invokeStatic:
                return name.startsWith(ConcurrentTypes.BRIDGE_PREFIX) ?
                    findConcurrentBridge(implLookup, implClass, name, implType) :
                    implLookup.findStatic(implClass, name, implType);
            case MethodHandleInfo.REF_invokeVirtual:
            case MethodHandleInfo.REF_invokeInterface:
                return implLookup.findVirtual(implClass, name, implType);
            case MethodHandleInfo.REF_invokeSpecial:
                return implLookup.findSpecial(implClass, name, implType, implClass);
            case MethodHandleInfo.REF_newInvokeSpecial:
                return implLookup.findConstructor(implClass, implType);
            default:
                throw new IllegalArgumentException("unsupported implementation kind " + kind);
        }
    }

    /**
     * A method reference to a {@code java.util.concurrent} method that a node's rewriting gave a bridge: the bridge
     * where the class has it (a node), the method itself where it has not (the origin, whose classes are not
     * rewritten). Both take the receiver first, so the lambda is built the same way.
     */
    private static MethodHandle findConcurrentBridge(
        final MethodHandles.Lookup implLookup, final Class<?> implClass, final String name, final MethodType implType)
        throws ReflectiveOperationException
    {
        try
        {
            return implLookup.findStatic(implClass, name, implType);
        }
        catch (final NoSuchMethodException ex)
        {
            return implLookup.findVirtual(implType.parameterType(0),
                name.substring(ConcurrentTypes.BRIDGE_PREFIX.length()), implType.dropParameterTypes(0, 1));
        }
    }

    /**
     * A reference to a {@code java.util.concurrent} method serialized where the capturing class was not rewritten
     * (the origin), rebuilt in a node's rewritten class: through that class's bridge, when it has one, so that the
     * call reaches the origin for a shared receiver. Null when it has none.
     */
    private static MethodHandle findOwnBridge(
        final MethodHandles.Lookup lookup, final Class<?> implClass, final String name, final MethodType implType)
    {
        try
        {
            return lookup.findStatic(lookup.lookupClass(), ConcurrentTypes.BRIDGE_PREFIX + name,
                implType.insertParameterTypes(0, implClass));
        }
        catch (final NoSuchMethodException | IllegalAccessException ex)
        {
            return null;
        }
    }
}
