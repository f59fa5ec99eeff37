package dev.virgo.runtime.node;

import dev.virgo.runtime.graph.Image;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.sharing.SyncContext;
import dev.virgo.runtime.wire.SyncEncoder;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A moved thread's {@link SyncContext} on its node: the objects of its {@link Image} are the ones it shares with the
 * origin (by identity, see {@code SharedTable}), and so are the application's classes as monitors and as owners of
 * volatile statics. Each operation on them is a SYNC to the thread's shadow at the origin: a release sends the image's
 * state first, an acquire writes the state that comes back into the copies. Threads the moved thread started on the
 * node share its image and its context, each with a shadow of its own.
 * <p>
 * The statics that travelled with the thread (its own class loader's) are read into their value arrays before every
 * exchange, and an acquire installs what came back into the static fields, so they are shared like any object.
 */
final class MovedThreadSync implements SyncContext
{
    private static final byte[] NO_STATE = new byte[0];

    private final SyncProxy proxy;
    private final long threadId;
    private final String threadName;
    private final Image image;
    private final ThreadClassLoader ownImage;
    private final Thread carrier;
    private final AtomicInteger shadows = new AtomicInteger();
    private final ThreadLocal<Integer> shadowOfThread = new ThreadLocal<>();

    /**
     * @param ownImage the thread's own class loader when statics travelled with it (they are then part of the
     *                 image), else null.
     * @param carrier  the carrier running the moved thread itself: shadow 0.
     */
    MovedThreadSync(
        final SyncProxy proxy,
        final long threadId,
        final String threadName,
        final Image image,
        final ThreadClassLoader ownImage,
        final Thread carrier)
    {
        this.proxy = proxy;
        this.threadId = threadId;
        this.threadName = threadName;
        this.image = image;
        this.ownImage = ownImage;
        this.carrier = carrier;
    }

    @Override
    public boolean isShared(final Object object)
    {
        if (object instanceof Class)
        {
            return ((Class<?>)object).getClassLoader() instanceof ThreadClassLoader;
        }
        return image.identityOf(object) >= 0;
    }

    @Override
    public void enter(final Object monitor)
    {
        acquire(call(SyncEncoder.OP_ENTER, monitor, 0, null, NO_STATE));
    }

    @Override
    public void exit(final Object monitor)
    {
        call(SyncEncoder.OP_EXIT, monitor, 0, null, release());
    }

    @Override
    public void await(final Object monitor, final long timeoutMs) throws InterruptedException
    {
        final SyncProxy.Reply reply = call(SyncEncoder.OP_WAIT, monitor, timeoutMs, null, release());
        acquire(reply);
        if (reply.interrupted())
        {
            Thread.interrupted(); // as wait() does: the exception replaces the status
            throw new InterruptedException();
        }
    }

    @Override
    public void notify(final Object monitor, final boolean all)
    {
        call(all ? SyncEncoder.OP_NOTIFY_ALL : SyncEncoder.OP_NOTIFY, monitor, 0, null, NO_STATE);
    }

    @Override
    public void beforeVolatileRead(final Object target, final Class<?> owner, final String field)
    {
        if (null == target && !staticsShared(owner, field))
        {
            return;
        }
        acquire(call(SyncEncoder.OP_VOLATILE_READ, null == target ? owner : target, 0,
            declaringClass(owner, field), NO_STATE, field));
    }

    @Override
    public void afterVolatileWrite(final Object target, final Class<?> owner, final String field)
    {
        if (null == target && !staticsShared(owner, field))
        {
            return;
        }
        call(SyncEncoder.OP_VOLATILE_WRITE, null == target ? owner : target, 0, declaringClass(owner, field),
            release(), field);
    }

    private SyncProxy.Reply call(
        final byte op, final Object object, final long timeoutMs, final String className, final byte[] state)
    {
        return call(op, object, timeoutMs, className, state, null);
    }

    private SyncProxy.Reply call(
        final byte op,
        final Object object,
        final long timeoutMs,
        final String className,
        final byte[] state,
        final String fieldName)
    {
        final int objectId = object instanceof Class ? -1 : image.identityOf(object);
        final String name = null != className ? className : object instanceof Class ? ((Class<?>)object).getName() : null;
        return proxy.call(threadId, shadow(), op, objectId, timeoutMs, name, fieldName, state);
    }

    /** The shadow of the calling thread: 0 for the moved thread itself, a number of its own for each thread it started. */
    private int shadow()
    {
        if (Thread.currentThread() == carrier)
        {
            return 0;
        }
        Integer number = shadowOfThread.get();
        if (null == number)
        {
            number = shadows.incrementAndGet();
            shadowOfThread.set(number);
        }
        return number;
    }

    private byte[] release()
    {
        synchronized (image)
        {
            if (null != ownImage)
            {
                ownImage.collectStatics();
            }
            return image.release();
        }
    }

    private void acquire(final SyncProxy.Reply reply)
    {
        if (reply.state.length == 0)
        {
            return;
        }
        synchronized (image)
        {
            if (null != ownImage)
            {
                ownImage.collectStatics(); // this thread's unpublished writes to statics stay
            }
            image.acquire(reply.state, "thread '" + threadName + "'", VirgoLog::warn);
            if (null != ownImage)
            {
                ownImage.installStatics();
            }
        }
    }

    /**
     * A volatile static is shared when its class's statics travelled with the thread. Those of a class the origin had
     * not initialized when the thread started are the thread's own on this node (the class initialized here): said
     * once per class, since another thread's writes to it will not be seen.
     */
    private boolean staticsShared(final Class<?> owner, final String field)
    {
        final String declaring = declaringClass(owner, field);
        if (null != ownImage && ownImage.hasStatics(declaring))
        {
            return true;
        }
        if (null == UNSHARED_STATICS.putIfAbsent(declaring, Boolean.TRUE))
        {
            VirgoLog.warn("volatile static " + declaring + "." + field + " is the node's own copy for moved thread '" +
                threadName + "': its class was not initialized at the origin when the thread started, so its statics " +
                "did not travel and other threads' writes to them are not seen here");
        }
        return false;
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> UNSHARED_STATICS =
        new java.util.concurrent.ConcurrentHashMap<>();

    private static String declaringClass(final Class<?> owner, final String field)
    {
        for (Class<?> c = owner; null != c; c = c.getSuperclass())
        {
            try
            {
                return c.getDeclaredField(field).getDeclaringClass().getName();
            }
            catch (final NoSuchFieldException ex)
            {
                // a superclass's
            }
        }
        return owner.getName();
    }
}
