package dev.virgo.runtime.node;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.graph.Image;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.sharing.SyncContext;
import dev.virgo.runtime.wire.SyncEncoder;

import java.util.concurrent.BlockingQueue;

/**
 * A moved thread's {@link SyncContext} on its node: the objects of its {@link Image} are the ones it shares with the
 * origin (by identity, see {@code SharedTable}), and so are the application's classes as monitors and as owners of
 * volatile statics. Each operation on them is a SYNC to the thread's shadow at the origin: a release sends the image's
 * state first, an acquire writes the state that comes back into the copies. Threads the moved thread started on the
 * node share its image and its context, each with a shadow of its own.
 * <p>
 * The exchanges themselves, their order, and the releases the thread goes on from without waiting (a monitor exit, a
 * volatile write, a notify) are {@link ImageExchanges}'. A monitor entry, a wait or a blocking call of a thread that is
 * its image's only one travels with the acquire after it ({@link #blocksWithAcquire}): one round trip.
 */
final class MovedThreadSync implements SyncContext
{
    private static final byte[] NO_STATE = new byte[0];

    private final ImageExchanges exchanges;
    private final Image image;
    private final ThreadClassLoader ownImage;
    private final long threadId;
    private final String threadName;
    private final Thread carrier;
    /** True until a thread made on the node inherits this context: only the moved thread itself synchronizes. */
    private volatile boolean soleThread = true;

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
        this.exchanges = new ImageExchanges(proxy, threadId, threadName, image, ownImage, carrier);
        this.image = image;
        this.ownImage = ownImage;
        this.threadId = threadId;
        this.threadName = threadName;
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
    public void inheritedByNewThread()
    {
        soleThread = false;
    }

    /**
     * Whether an operation that may block at the origin (a monitor entry, a wait, a blocking call) can go together
     * with the acquire after it, the thread waiting for the acquire's reply only: one round trip, the shadow serving
     * the ACQUIRE once the blocking operation is over. That holds the exchange order for as long as the operation
     * blocks, which is safe only when no other thread of the image may need an exchange meanwhile (to let a monitor
     * go, to signal the thread): when the moved thread is the only thread of its image. The refresher skips a held
     * order. Otherwise the blocking operation is waited for first, and the acquire is an exchange of its own.
     */
    private boolean blocksWithAcquire()
    {
        return soleThread && Thread.currentThread() == carrier;
    }

    /** The origin's monitor, then an acquire: one round trip or two ({@link #blocksWithAcquire}). */
    @Override
    public void enter(final Object monitor)
    {
        if (blocksWithAcquire())
        {
            exchanges.exchange(() ->
            {
                final SyncProxy.Posted entered = exchanges.post(SyncEncoder.OP_ENTER, monitor, 0, null, NO_STATE, null);
                exchanges.acquire(exchanges.call(SyncEncoder.OP_ACQUIRE, monitor, 0, null, NO_STATE, null));
                entered.answer(); // answered before the ACQUIRE: the shadow serves them in order
            });
            return;
        }
        exchanges.call(SyncEncoder.OP_ENTER, monitor, 0, null, NO_STATE, null);
        exchanges.exchange(() -> exchanges.acquiring(SyncEncoder.OP_ACQUIRE, monitor, null, null, 0));
    }

    @Override
    public void exit(final Object monitor)
    {
        exchanges.exchange(() -> exchanges.posting(SyncEncoder.OP_EXIT, monitor, null, null, null));
    }

    @Override
    public void await(final Object monitor, final long timeoutMs) throws InterruptedException
    {
        final SyncProxy.Reply reply;
        if (blocksWithAcquire())
        {
            final SyncProxy.Reply[] waited = new SyncProxy.Reply[1];
            exchanges.exchange(() ->
            {
                exchanges.posting(SyncEncoder.OP_RELEASE, monitor, null, null, null);
                final SyncProxy.Posted wait =
                    exchanges.post(SyncEncoder.OP_WAIT, monitor, timeoutMs, null, NO_STATE, null);
                exchanges.acquiring(SyncEncoder.OP_ACQUIRE, monitor, null, null, wait.correlationId);
                waited[0] = wait.answer();
            });
            reply = waited[0];
        }
        else
        {
            exchanges.exchange(() -> exchanges.posting(SyncEncoder.OP_RELEASE, monitor, null, null, null));
            reply = exchanges.call(SyncEncoder.OP_WAIT, monitor, timeoutMs, null, NO_STATE, null);
            exchanges.exchange(() -> exchanges.acquiring(SyncEncoder.OP_ACQUIRE, monitor, null, null, 0));
        }
        if (reply.interrupted())
        {
            Thread.interrupted(); // as wait() does: the exception replaces the status
            throw new InterruptedException();
        }
    }

    @Override
    public void notify(final Object monitor, final boolean all)
    {
        // Posted, but not an exchange: it carries no state, and the shadow serves it before this thread's next
        // operation (its EXIT at the latest). The node thread holds the monitor here, so the shadow holds it there.
        final byte op = all ? SyncEncoder.OP_NOTIFY_ALL : SyncEncoder.OP_NOTIFY;
        exchanges.checkWhenAnswered(exchanges.post(op, monitor, 0, null, NO_STATE, null).reply);
    }

    @Override
    public void beforeVolatileRead(final Object target, final Class<?> owner, final String field)
    {
        if (null == target && !staticsShared(owner, field))
        {
            return;
        }
        final Object shared = null == target ? owner : target;
        exchanges.exchange(() ->
            exchanges.acquiring(SyncEncoder.OP_VOLATILE_READ, shared, declaringClass(owner, field), field, 0));
    }

    @Override
    public void afterVolatileWrite(final Object target, final Class<?> owner, final String field)
    {
        if (null == target && !staticsShared(owner, field))
        {
            return;
        }
        exchanges.exchange(() -> exchanges.posting(SyncEncoder.OP_VOLATILE_WRITE, null == target ? owner : target,
            declaringClass(owner, field), field, null));
    }

    /**
     * A call that never blocks (an atomic's, {@code unlock}, {@code countDown}, {@code signal}...) is one exchange:
     * released state and arguments out, acquired state and outcome back. One that may block ({@link #mayBlock}) is
     * three, so that no exchange is held while it waits and the program's other threads on this node (and the
     * refresher) go on exchanging: a release carrying the arguments, the call, an acquire carrying the outcome.
     */
    @Override
    public Object invoke(
        final Object target, final String owner, final String name, final String descriptor, final Object[] args)
        throws Throwable
    {
        final String className = owner.replace('/', '.');
        final String method = name + descriptor;
        final Object[][] outcome = new Object[1][];
        final boolean threw;
        final boolean mayBlock = mayBlock(target, name, descriptor);
        if (mayBlock && blocksWithAcquire())
        {
            final boolean[] thrown = new boolean[1];
            exchanges.exchange(() ->
            {
                exchanges.posting(SyncEncoder.OP_RELEASE, target, null, null, args);
                final SyncProxy.Posted called =
                    exchanges.post(SyncEncoder.OP_INVOKE_BLOCKING, target, 0, className, NO_STATE, method);
                outcome[0] = exchanges.acquiring(SyncEncoder.OP_ACQUIRE, target, null, null, called.correlationId);
                thrown[0] = called.answer().threw();
            });
            threw = thrown[0];
        }
        else if (mayBlock)
        {
            exchanges.exchange(() -> exchanges.posting(SyncEncoder.OP_RELEASE, target, null, null, args));
            final SyncProxy.Reply called =
                exchanges.call(SyncEncoder.OP_INVOKE_BLOCKING, target, 0, className, NO_STATE, method);
            exchanges.exchange(() -> outcome[0] = exchanges.acquiring(SyncEncoder.OP_ACQUIRE, target, null, null, 0));
            threw = called.threw();
        }
        else
        {
            final boolean[] thrown = new boolean[1];
            exchanges.exchange(() ->
            {
                final byte[] state = exchanges.release(args);
                final SyncProxy.Reply reply;
                try
                {
                    reply = exchanges.call(SyncEncoder.OP_INVOKE, target, 0, className, state, method);
                }
                catch (final RuntimeException ex)
                {
                    exchanges.undoRelease();
                    throw ex;
                }
                if (reply.broken())
                {
                    throw exchanges.markBroken(reply.message, null);
                }
                thrown[0] = reply.threw();
                outcome[0] = exchanges.acquire(reply);
            });
            threw = thrown[0];
        }
        if (null == outcome[0] || outcome[0].length != 1)
        {
            throw new VirgoException("the origin answered " + className + "." + method + " without its outcome");
        }
        if (!threw)
        {
            return outcome[0][0];
        }
        if (!(outcome[0][0] instanceof byte[]))
        {
            throw new VirgoException("the origin answered " + className + "." + method + " with an exception that is " +
                "not one");
        }
        final Throwable thrownHere = image.decodeThrowable((byte[])outcome[0][0]);
        if (thrownHere instanceof InterruptedException)
        {
            Thread.interrupted(); // as the JDK's: the exception replaces the status
        }
        throw thrownHere;
    }

    /**
     * The java.util.concurrent methods that may wait for another thread: their call must not hold an exchange. The
     * rest (an atomic's, {@code unlock}, {@code countDown}, {@code signal}, {@code release}, {@code arrive},
     * {@code tryLock()}, a queue's {@code offer} and {@code poll} without a time-out...) return at once. The receiver
     * decides for a blocking queue, whose {@code put} waits for room where a map's returns at once.
     */
    static boolean mayBlock(final Object target, final String name, final String descriptor)
    {
        if (target instanceof BlockingQueue)
        {
            return mayBlockOnQueue(name, descriptor);
        }
        switch (name)
        {
            case "lock":
            case "lockInterruptibly":
            case "readLockInterruptibly":
            case "writeLockInterruptibly":
            case "exchange":
            case "await":
            case "awaitNanos":
            case "awaitUninterruptibly":
            case "awaitUntil":
            case "acquire":
            case "acquireUninterruptibly":
            case "arriveAndAwaitAdvance":
            case "awaitAdvance":
            case "awaitAdvanceInterruptibly":
            case "join":
                return true;
            case "readLock":
            case "writeLock":
                return descriptor.endsWith(")J"); // a StampedLock's, which waits; a ReadWriteLock's gives its view
            case "tryLock":
            case "tryReadLock":
            case "tryWriteLock":
            case "tryAcquire":
                return descriptor.contains("Ljava/util/concurrent/TimeUnit;");
            default:
                return false;
        }
    }

    /** A blocking queue's (or deque's, or transfer queue's) methods that wait for room, an element or a taker. */
    private static boolean mayBlockOnQueue(final String name, final String descriptor)
    {
        switch (name)
        {
            case "put":
            case "putFirst":
            case "putLast":
            case "take":
            case "takeFirst":
            case "takeLast":
            case "transfer":
                return true;
            case "offer":
            case "offerFirst":
            case "offerLast":
            case "poll":
            case "pollFirst":
            case "pollLast":
            case "tryTransfer":
                return descriptor.contains("Ljava/util/concurrent/TimeUnit;");
            default:
                return false;
        }
    }

    /**
     * On the node's {@link Refresher}: publishes what the thread wrote and fetches what others wrote, unless one of the
     * thread's exchanges is under way (then nothing is due).
     *
     * @return true when something changed on either side, false when nothing did or the refresh was skipped.
     */
    boolean refresh()
    {
        return exchanges.refresh();
    }

    /**
     * After {@code run()} ended: no more refreshes, and the final state, computed once any exchange under way is
     * over, so that the origin merges it after that exchange.
     *
     * @throws VirgoException when an earlier acquire could not be applied: the origin's table and this one no longer
     *                        agree, and the final state would be merged against the wrong objects.
     */
    byte[] finalState()
    {
        Refresher.unregister(this);
        return exchanges.finalState();
    }

    /** The program exited at the origin: nothing more is exchanged. */
    void end()
    {
        Refresher.unregister(this);
        exchanges.end();
    }

    @Override
    public String toString()
    {
        return "moved thread '" + threadName + "' (" + threadId + ")";
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
