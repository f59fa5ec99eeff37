package dev.virgo.runtime.classes;

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
        final MethodHandles.Lookup implLookup = implClass == lookup.lookupClass() ?
            lookup : MethodHandles.privateLookupIn(implClass, lookup);
        final String name = lambda.getImplMethodName();
        switch (lambda.getImplMethodKind())
        {
            case MethodHandleInfo.REF_invokeStatic:
                return implLookup.findStatic(implClass, name, implType);
            case MethodHandleInfo.REF_invokeVirtual:
            case MethodHandleInfo.REF_invokeInterface:
                return implLookup.findVirtual(implClass, name, implType);
            case MethodHandleInfo.REF_invokeSpecial:
                return implLookup.findSpecial(implClass, name, implType, implClass);
            case MethodHandleInfo.REF_newInvokeSpecial:
                return implLookup.findConstructor(implClass, implType);
            default:
                throw new IllegalArgumentException("unsupported implementation kind " + lambda.getImplMethodKind());
        }
    }
}
