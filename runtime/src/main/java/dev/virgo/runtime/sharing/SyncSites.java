package dev.virgo.runtime.sharing;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the synchronization sites of the application's classes lead on a node (the rewriting is
 * {@code dev.virgo.runtime.node.MovedCodeRewriter}'s). Public because those classes, defined by the node's class
 * loaders, call it. Each site keeps its local meaning for objects only this node has (the thread's own new objects,
 * any thread that is not a moved one) and, for an object shared with the origin, also performs the operation there
 * through the thread's {@link SyncContext}:
 * <ul>
 *     <li>{@code monitorenter} becomes {@code dup; monitorenter; invokestatic entered}, and {@code monitorexit}
 *     {@code dup; invokestatic exiting; monitorexit}, so the local monitor stays block-structured (the JIT compiles
 *     such methods as before) and the origin's monitor is taken inside it. A {@code synchronized} method gets the
 *     same pair around its body. Which entries went to the origin is remembered per thread, so that an exit matches
 *     its entry even if the object became shared in between;</li>
 *     <li>{@code wait}, {@code notify} and {@code notifyAll} become {@link #waitOn}, {@link #notifyOn},
 *     {@link #notifyAllOn};</li>
 *     <li>a {@code volatile} field read or write becomes {@link #getVolatile} / {@link #putVolatile} (statics:
 *     {@link #getStaticVolatile} / {@link #putStaticVolatile}), with the value boxed;</li>
 *     <li>a call of a {@code java.util.concurrent} object's method ({@link ConcurrentTypes}) becomes an
 *     {@code invokedynamic} of the same type, the receiver first, linked by {@link #concurrentCall}.</li>
 * </ul>
 */
public final class SyncSites
{
    /** The context of the moved thread this thread belongs to; inherited by the threads it starts on the node. */
    private static final InheritableThreadLocal<SyncContext> CONTEXT = new InheritableThreadLocal<>()
    {
        @Override
        protected SyncContext childValue(final SyncContext parent)
        {
            if (null != parent)
            {
                parent.inheritedByNewThread();
            }
            return parent;
        }
    };
    /** Per thread: for each monitor it holds through a rewritten site, innermost last, whether the origin's too. */
    private static final ThreadLocal<EntryStack> ENTRIES = ThreadLocal.withInitial(EntryStack::new);
    /** The fields sites name, by owner: kept with each class, so that a node's class loaders stay collectable. */
    private static final ClassValue<ConcurrentHashMap<String, Field>> FIELDS = new ClassValue<>()
    {
        @Override
        protected ConcurrentHashMap<String, Field> computeValue(final Class<?> owner)
        {
            return new ConcurrentHashMap<>();
        }
    };

    /** {@code (Object target)boolean}: {@link #isShared}, the guard of a concurrent call site. */
    private static final MethodHandle IS_SHARED;
    /** {@code (Object target)boolean}: {@link #isSharedCollection}, the guard of a collection update's site. */
    private static final MethodHandle IS_SHARED_COLLECTION;
    /** Per class: whether it is a concurrent collection whose updates go to the origin ({@link ConcurrentTypes}). */
    private static final ClassValue<Boolean> CARRIED_COLLECTION = new ClassValue<>()
    {
        @Override
        protected Boolean computeValue(final Class<?> type)
        {
            return ConcurrentTypes.isCarriedCollection(type);
        }
    };
    /** {@link #invokeShared}: {@code (Object target, String owner, String name, String descriptor, Object[] args)}. */
    private static final MethodHandle INVOKE_SHARED;

    static
    {
        final MethodHandles.Lookup lookup = MethodHandles.lookup();
        try
        {
            IS_SHARED = lookup.findStatic(
                SyncSites.class, "isShared", MethodType.methodType(boolean.class, Object.class));
            IS_SHARED_COLLECTION = lookup.findStatic(
                SyncSites.class, "isSharedCollection", MethodType.methodType(boolean.class, Object.class));
            INVOKE_SHARED = lookup.findStatic(SyncSites.class, "invokeShared", MethodType.methodType(
                Object.class, Object.class, String.class, String.class, String.class, Object[].class));
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private SyncSites()
    {
    }

    /** Binds the current thread (and the threads it will start) to a moved thread's context; null unbinds. */
    public static void bind(final SyncContext context)
    {
        if (null == context)
        {
            CONTEXT.remove();
            ENTRIES.remove();
        }
        else
        {
            CONTEXT.set(context);
        }
    }

    /**
     * After {@code monitorenter monitor}. Re-entering a monitor this thread already holds at the origin stays here: it
     * creates no happens-before edge (nobody else can have released it in between), and its exit releases nothing.
     */
    public static void entered(final Object monitor)
    {
        final SyncContext context = CONTEXT.get();
        if (null == context)
        {
            ENTRIES.get().push(monitor, false);
            return;
        }
        final EntryStack entries = ENTRIES.get();
        final boolean remote = !entries.heldRemotely(monitor) && context.isShared(monitor);
        entries.push(monitor, remote);
        if (remote)
        {
            try
            {
                context.enter(monitor);
            }
            catch (final RuntimeException | Error ex)
            {
                ENTRIES.get().pop();
                throw ex;
            }
        }
    }

    /** Before {@code monitorexit monitor}. */
    public static void exiting(final Object monitor)
    {
        final EntryStack entries = ENTRIES.get();
        if (entries.isEmpty())
        {
            return; // entered by code that was not rewritten: the local monitor is all there is
        }
        if (entries.pop())
        {
            CONTEXT.get().exit(monitor);
        }
    }

    /** {@code monitor.wait()}. */
    public static void waitOn(final Object monitor) throws InterruptedException
    {
        waitOn(monitor, 0L);
    }

    /** {@code monitor.wait(timeoutMs)}. */
    public static void waitOn(final Object monitor, final long timeoutMs) throws InterruptedException
    {
        final SyncContext context = CONTEXT.get();
        if (null == context || !heldRemotely(monitor, context))
        {
            monitor.wait(timeoutMs);
            return;
        }
        if (timeoutMs < 0)
        {
            throw new IllegalArgumentException("timeout value is negative");
        }
        if (!Thread.holdsLock(monitor))
        {
            throw new IllegalMonitorStateException("current thread is not owner");
        }
        if (Thread.interrupted())
        {
            throw new InterruptedException();
        }
        context.await(monitor, timeoutMs);
    }

    /** {@code monitor.wait(timeoutMs, nanos)}: rounded up to the next millisecond, as the JDK does. */
    public static void waitOn(final Object monitor, final long timeoutMs, final int nanos) throws InterruptedException
    {
        if (timeoutMs < 0)
        {
            throw new IllegalArgumentException("timeout value is negative");
        }
        if (nanos < 0 || nanos > 999_999)
        {
            throw new IllegalArgumentException("nanosecond timeout value out of range");
        }
        waitOn(monitor, nanos > 0 && timeoutMs < Long.MAX_VALUE ? timeoutMs + 1 : timeoutMs);
    }

    /** {@code monitor.notify()}. */
    public static void notifyOn(final Object monitor)
    {
        final SyncContext context = CONTEXT.get();
        if (null == context || !heldRemotely(monitor, context))
        {
            monitor.notify();
            return;
        }
        if (!Thread.holdsLock(monitor))
        {
            throw new IllegalMonitorStateException("current thread is not owner");
        }
        context.notify(monitor, false);
    }

    /** {@code monitor.notifyAll()}. */
    public static void notifyAllOn(final Object monitor)
    {
        final SyncContext context = CONTEXT.get();
        if (null == context || !heldRemotely(monitor, context))
        {
            monitor.notifyAll();
            return;
        }
        if (!Thread.holdsLock(monitor))
        {
            throw new IllegalMonitorStateException("current thread is not owner");
        }
        context.notify(monitor, true);
    }

    /** {@code target.field} of a {@code volatile} field declared in {@code owner} or a superclass of it. */
    public static Object getVolatile(final Object target, final Class<?> owner, final String field)
    {
        final SyncContext context = CONTEXT.get();
        if (null != context && context.isShared(target))
        {
            context.beforeVolatileRead(target, owner, field);
        }
        return read(field(owner, field), target);
    }

    /** {@code owner.field} of a {@code volatile} static field. */
    public static Object getStaticVolatile(final Class<?> owner, final String field)
    {
        final SyncContext context = CONTEXT.get();
        final Field f = field(owner, field);
        if (null != context && context.isShared(f.getDeclaringClass()))
        {
            context.beforeVolatileRead(null, f.getDeclaringClass(), field);
        }
        return read(f, null);
    }

    /** {@code target.field = value} of a {@code volatile} field; {@code value} boxed when primitive. */
    public static void putVolatile(final Object target, final Object value, final Class<?> owner, final String field)
    {
        write(field(owner, field), target, value);
        final SyncContext context = CONTEXT.get();
        if (null != context && context.isShared(target))
        {
            context.afterVolatileWrite(target, owner, field);
        }
    }

    /** {@code owner.field = value} of a {@code volatile} static field; {@code value} boxed when primitive. */
    public static void putStaticVolatile(final Object value, final Class<?> owner, final String field)
    {
        final Field f = field(owner, field);
        write(f, null, value);
        final SyncContext context = CONTEXT.get();
        if (null != context && context.isShared(f.getDeclaringClass()))
        {
            context.afterVolatileWrite(null, f.getDeclaringClass(), field);
        }
    }

    /**
     * Bootstrap of a rewritten call of a {@code java.util.concurrent} object's method, {@code type} being the call's
     * own, its receiver first: the call as written ({@code direct}) unless this thread is a moved thread's and the
     * receiver is shared, then {@link SyncContext#invoke} with the arguments boxed and the answer unboxed. Whatever
     * either throws reaches the caller unchanged, an {@code InterruptedException} included.
     *
     * <p>The owner, name and descriptor {@code invoke} wants are the site's own: the owner is the receiver's type in
     * {@code type}, which the rewriting sets to the owner the call named, the descriptor is {@code type} without it.
     * (Asking {@code direct} would name the class that declares the method, {@code Number} for
     * {@code AtomicInteger.byteValue()}, not the one the call names.)
     *
     * <p>A site naming a collection type ({@link ConcurrentTypes#isCollectionUpdate}) is a collection update, which
     * goes to the origin only when the receiver is one of the concurrent collections that are kept there: its guard
     * asks the receiver's class first, so that an update of any other list or map costs one class lookup.
     *
     * @param caller the class of the call site.
     * @param name   the method's name.
     * @param type   the method's descriptor with the owner as first parameter.
     * @param direct the method itself, virtual or interface.
     * @return a constant call site: which way a call goes is decided each time, by a thread-local read.
     */
    public static CallSite concurrentCall(
        final MethodHandles.Lookup caller, final String name, final MethodType type, final MethodHandle direct)
    {
        final MethodType arguments = type.dropParameterTypes(0, 1);
        final String owner = type.parameterType(0).getName().replace('.', '/');
        final MethodHandle remote = MethodHandles
            .insertArguments(INVOKE_SHARED, 1, owner, name, arguments.toMethodDescriptorString())
            .asCollector(Object[].class, arguments.parameterCount())
            .asType(type);
        final MethodHandle guard = ConcurrentTypes.isSharedConcurrentOwner(owner) ? IS_SHARED : IS_SHARED_COLLECTION;
        final MethodHandle test = guard.asType(MethodType.methodType(boolean.class, type.parameterType(0)));
        return new ConstantCallSite(MethodHandles.guardWithTest(test, remote, direct.asType(type)));
    }

    /**
     * For the calls about another thread ({@code MovedThreadCalls}): true when this thread is a moved thread's and
     * {@code target} (a {@code Thread} a shared graph reaches) is shared with the origin, which then answers for it.
     */
    public static boolean sharedWithOrigin(final Object target)
    {
        return isShared(target);
    }

    /**
     * A call about a shared thread ({@link #sharedWithOrigin}), made by the real one at the origin.
     *
     * @param descriptor the method's descriptor, e.g. {@code (J)V} for {@code join(long)}.
     */
    public static Object callAtOrigin(
        final Object target, final String owner, final String name, final String descriptor, final Object... args)
        throws Throwable
    {
        return invokeShared(target, owner, name, descriptor, args);
    }

    /** The guard of a concurrent call site: one thread-local read when the thread is not a moved thread's. */
    private static boolean isShared(final Object target)
    {
        final SyncContext context = CONTEXT.get();
        return null != context && null != target && context.isShared(target);
    }

    /** The guard of a collection update: the receiver is a concurrent collection kept at the origin, and shared. */
    private static boolean isSharedCollection(final Object target)
    {
        return null != target && CARRIED_COLLECTION.get(target.getClass()) && isShared(target);
    }

    /** A concurrent call on a shared object, after {@link #isShared} said so on this same thread. */
    private static Object invokeShared(
        final Object target, final String owner, final String name, final String descriptor, final Object[] args)
        throws Throwable
    {
        return CONTEXT.get().invoke(target, owner, name, descriptor, args);
    }

    /**
     * A wait or notify on a shared object is the origin's only when this thread holds the origin's monitor: an
     * object that became shared while the thread held only its local monitor keeps the local meaning until exit.
     */
    private static boolean heldRemotely(final Object monitor, final SyncContext context)
    {
        return context.isShared(monitor) && ENTRIES.get().heldRemotely(monitor);
    }

    /** The field a site names: declared by {@code owner} or inherited from a superclass or interface of it. */
    static Field field(final Class<?> owner, final String name)
    {
        final ConcurrentHashMap<String, Field> fields = FIELDS.get(owner);
        Field found = fields.get(name);
        if (null == found)
        {
            found = lookUp(owner, name);
            found.setAccessible(true);
            fields.put(name, found);
        }
        return found;
    }

    private static Field lookUp(final Class<?> owner, final String name)
    {
        for (Class<?> c = owner; null != c; c = c.getSuperclass())
        {
            for (final Field f : c.getDeclaredFields())
            {
                if (f.getName().equals(name))
                {
                    return f;
                }
            }
            for (final Class<?> i : c.getInterfaces())
            {
                for (final Field f : i.getFields())
                {
                    if (f.getName().equals(name) && Modifier.isStatic(f.getModifiers()))
                    {
                        return f;
                    }
                }
            }
        }
        throw new NoSuchFieldError(owner.getName() + "." + name);
    }

    /** Reflection reads and writes a volatile field with volatile semantics. */
    private static Object read(final Field field, final Object target)
    {
        try
        {
            return field.get(target);
        }
        catch (final IllegalAccessException ex)
        {
            throw new IllegalAccessError(ex.getMessage());
        }
    }

    private static void write(final Field field, final Object target, final Object value)
    {
        try
        {
            field.set(target, value);
        }
        catch (final IllegalAccessException ex)
        {
            throw new IllegalAccessError(ex.getMessage());
        }
    }

    /** A stack of the monitors held through a rewritten site, innermost last, and whether the origin's too. */
    private static final class EntryStack
    {
        private Object[] monitors = new Object[16];
        private boolean[] remote = new boolean[16];
        private int depth;

        void push(final Object monitor, final boolean isRemote)
        {
            if (depth == remote.length)
            {
                remote = Arrays.copyOf(remote, depth * 2);
                monitors = Arrays.copyOf(monitors, depth * 2);
            }
            monitors[depth] = monitor;
            remote[depth++] = isRemote;
        }

        boolean pop()
        {
            monitors[--depth] = null;
            return remote[depth];
        }

        boolean isEmpty()
        {
            return depth == 0;
        }

        /** True when some entry of {@code monitor} this thread still holds went to the origin. */
        boolean heldRemotely(final Object monitor)
        {
            for (int i = depth - 1; i >= 0; i--)
            {
                if (monitors[i] == monitor && remote[i])
                {
                    return true;
                }
            }
            return false;
        }
    }
}
