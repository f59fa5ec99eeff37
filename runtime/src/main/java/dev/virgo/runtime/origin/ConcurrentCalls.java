package dev.virgo.runtime.origin;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.sharing.ConcurrentTypes;
import org.objectweb.asm.Type;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.lang.invoke.WrongMethodTypeException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls a node carries to the origin ({@code SyncContext#invoke}), made here on the real object by the thread's
 * shadow: java.util.concurrent calls on shared synchronizers, and the questions about another thread a shared graph
 * reaches ({@link #THREAD_METHODS}), and the updates of shared concurrent collections. What the node names is checked
 * before anything runs: the class must be a public java.util.concurrent class of the JDK (or java.lang.Thread, for
 * those methods only, or a collection type a concurrent collection is called through, for its updates only), the
 * method a public instance method of it, and the target an instance of it (for a collection type, exactly one of the
 * concurrent collections {@link ConcurrentTypes#isCarriedCollection} names), or one of a VarHandle's access modes on a
 * VarHandle of the shared table, so a node cannot make the origin call anything else.
 */
final class ConcurrentCalls
{
    /** The calls found, by "owner name descriptor": a handful per program. */
    private static final ConcurrentHashMap<String, Call> CALLS = new ConcurrentHashMap<>();
    private static final String VAR_HANDLE = "java.lang.invoke.VarHandle";

    /** What a node may ask the origin about another thread: the answers only the real thread has. */
    static final Set<String> THREAD_METHODS = Set.of(
        "start()V", "isAlive()Z", "isInterrupted()Z", "interrupt()V", "getState()Ljava/lang/Thread$State;", "join()V", "join(J)V",
        "join(JI)V");

    private ConcurrentCalls()
    {
    }

    /** What a call gave: its result (null for void), or what it threw. */
    static final class Outcome
    {
        final Object result;
        final Throwable thrown;

        Outcome(final Object result, final Throwable thrown)
        {
            this.result = result;
            this.thrown = thrown;
        }
    }

    /**
     * One call a node may ask for: a public instance method, or one of a {@code VarHandle}'s access modes (which are
     * signature polymorphic: no {@code Method} stands for them).
     */
    static final class Call
    {
        private final Method method;
        private final VarHandle.AccessMode mode;
        private final int argumentCount;

        private Call(final Method method, final VarHandle.AccessMode mode, final int argumentCount)
        {
            this.method = method;
            this.mode = mode;
            this.argumentCount = argumentCount;
        }

        @Override
        public String toString()
        {
            return null != method ? method.toString() : "VarHandle." + mode.methodName();
        }
    }

    /**
     * @param owner             the binary name the call site named, e.g. {@code java.util.concurrent.locks.Lock}.
     * @param nameAndDescriptor e.g. {@code tryLock(JLjava/util/concurrent/TimeUnit;)Z}.
     * @throws VirgoException when the call is not one a node may ask for.
     */
    static Call resolve(final String owner, final String nameAndDescriptor)
    {
        final String key = owner + ' ' + nameAndDescriptor;
        final Call known = CALLS.get(key);
        if (null != known)
        {
            return known;
        }
        final Call call = find(owner, nameAndDescriptor);
        CALLS.putIfAbsent(key, call);
        return call;
    }

    private static Call find(final String owner, final String nameAndDescriptor)
    {
        final int paren = null == nameAndDescriptor ? -1 : nameAndDescriptor.indexOf('(');
        if (paren <= 0)
        {
            throw new VirgoException("a node asked for a call of '" + nameAndDescriptor + "', which names no method");
        }
        final String name = nameAndDescriptor.substring(0, paren);
        final String descriptor = nameAndDescriptor.substring(paren);
        if (VAR_HANDLE.equals(owner))
        {
            if (!ConcurrentTypes.isVarHandleAccess(owner.replace('.', '/'), name))
            {
                throw new VirgoException("a node asked for " + owner + "." + nameAndDescriptor + ": only a VarHandle's " +
                    "access modes are made for nodes");
            }
            return new Call(null, VarHandle.AccessMode.valueFromMethodName(name),
                Type.getArgumentTypes(descriptor).length);
        }
        final boolean thread = "java.lang.Thread".equals(owner) && THREAD_METHODS.contains(nameAndDescriptor);
        final boolean collectionUpdate = null != owner &&
            ConcurrentTypes.isCollectionUpdate(owner.replace('.', '/'), name);
        if (null == owner || !owner.startsWith("java.util.concurrent.") && !thread && !collectionUpdate)
        {
            throw new VirgoException("a node asked for " + owner + "." + nameAndDescriptor + ": only java.util.concurrent " +
                "calls, the updates of concurrent collections, and the questions " + THREAD_METHODS + " about a " +
                "thread, are made for nodes");
        }
        try
        {
            final Class<?> ownerClass = Class.forName(owner, false, null);
            final Type[] argumentTypes = Type.getArgumentTypes(descriptor);
            final Class<?>[] parameters = new Class<?>[argumentTypes.length];
            for (int i = 0; i < parameters.length; i++)
            {
                parameters[i] = classOf(argumentTypes[i]);
            }
            final Method method = ownerClass.getMethod(name, parameters);
            if (Modifier.isStatic(method.getModifiers()) || method.getDeclaringClass() == Object.class ||
                !Modifier.isPublic(ownerClass.getModifiers()) ||
                !Type.getReturnType(method).getDescriptor().equals(Type.getReturnType(descriptor).getDescriptor()))
            {
                throw new VirgoException("a node asked for " + owner + "." + nameAndDescriptor +
                    ", which is not a public instance method of it");
            }
            return new Call(method, null, parameters.length);
        }
        catch (final ClassNotFoundException | NoSuchMethodException | IllegalArgumentException ex)
        {
            throw new VirgoException("a node asked for " + owner + "." + nameAndDescriptor + ", which this JDK does not " +
                "have: " + ex, ex);
        }
    }

    private static Class<?> classOf(final Type type) throws ClassNotFoundException
    {
        switch (type.getSort())
        {
            case Type.BOOLEAN: return boolean.class;
            case Type.BYTE: return byte.class;
            case Type.CHAR: return char.class;
            case Type.SHORT: return short.class;
            case Type.INT: return int.class;
            case Type.LONG: return long.class;
            case Type.FLOAT: return float.class;
            case Type.DOUBLE: return double.class;
            default: return Class.forName(type.getDescriptor().startsWith("[") ?
                type.getDescriptor().replace('/', '.') : type.getClassName(), false, null);
        }
    }

    /**
     * Makes the call. An exception the method throws is its outcome; one that says the node asked for something
     * wrong (a target of another class, arguments of other types) is thrown.
     */
    static Outcome invoke(final Call call, final Object target, final Object[] args)
    {
        if (null != call.mode)
        {
            return invokeVarHandle(call, target, args);
        }
        final Method method = call.method;
        final boolean concurrentOwner = method.getDeclaringClass().getName().startsWith("java.util.concurrent.") ||
            method.getDeclaringClass() == Thread.class;
        if (!method.getDeclaringClass().isInstance(target) ||
            !concurrentOwner && !ConcurrentTypes.isCarriedCollection(target.getClass()))
        {
            throw new VirgoException("a node asked for " + method + " on " +
                (null == target ? "null" : target.getClass().getName()));
        }
        try
        {
            return new Outcome(method.invoke(target, args), null);
        }
        catch (final InvocationTargetException ex)
        {
            return new Outcome(null, ex.getCause());
        }
        catch (final IllegalAccessException | IllegalArgumentException ex)
        {
            throw new VirgoException("cannot call " + method + " for a node: " + ex, ex);
        }
    }

    /**
     * A VarHandle's access mode, on a VarHandle this side made (the shared table holds only those: the program's own,
     * and those {@code VarHandleSerializers} made for a node, of the program's classes and arrays), with the arguments
     * converted as the access mode's invoker converts them.
     */
    private static Outcome invokeVarHandle(final Call call, final Object target, final Object[] args)
    {
        if (!(target instanceof VarHandle) || !((VarHandle)target).isAccessModeSupported(call.mode) ||
            ((VarHandle)target).accessModeType(call.mode).parameterCount() != call.argumentCount ||
            args.length != call.argumentCount)
        {
            throw new VirgoException("a node asked for " + call + " with " + args.length + " arguments on " +
                (null == target ? "null" : target.getClass().getName()));
        }
        final MethodHandle access = ((VarHandle)target).toMethodHandle(call.mode);
        try
        {
            return new Outcome(access.invokeWithArguments(args), null);
        }
        catch (final ClassCastException | WrongMethodTypeException ex)
        {
            throw new VirgoException("cannot make " + call + " for a node: " + ex, ex);
        }
        catch (final Throwable thrown)
        {
            return new Outcome(null, thrown);
        }
    }
}
