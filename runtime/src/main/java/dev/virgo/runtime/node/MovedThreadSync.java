package dev.virgo.runtime.node;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.graph.Image;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.sharing.SyncContext;
import dev.virgo.runtime.wire.SyncEncoder;
import dev.virgo.runtime.wire.SyncReplyEncoder;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A moved thread's {@link SyncContext} on its node: the objects of its {@link Image} are the ones it shares with the
 * origin (by identity, see {@code SharedTable}), and so are the application's classes as monitors and as owners of
 * volatile statics. Each operation on them is a SYNC to the thread's shadow at the origin: a release sends the image's
 * state first, an acquire writes the state that comes back into the copies. Threads the moved thread started on the
 * node share its image and its context, each with a shadow of its own.
 * <p>
 * The statics that travelled with the thread (its own class loader's) are read into their value arrays before every
 * exchange, and an acquire installs what came back into the static fields, so they are shared like any object.
 * <p>
 * A release that answers nothing (a monitor exit, a volatile write, the release before a wait or a blocking call, a
 * notify) is <em>posted</em>: the thread goes on without waiting for the origin to apply it, as a processor's store
 * buffer lets a core go on after a store. The Java memory model is kept because every later synchronization of the
 * same thread reaches the same shadow after it and is served after it; an exchange by another of the image's threads
 * (or the refresher, or the final state) first waits for the posted release's reply, so the exchanges of the image
 * stay in one order on both sides. A posted release the origin could not apply leaves the two sides out of step: the
 * origin refuses every later exchange of the thread, and this side throws from the next one (see {@link #broken}).
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
     * Held from computing a state to the reply that says the origin applied it (or from the request of a state to
     * applying it): the exchanges of one image are applied in one order on both sides, whichever of its threads (or
     * the refresher) makes them. Never held while the program waits (for a monitor, in a wait).
     */
    private final ReentrantLock exchangeLock = new ReentrantLock();
    /** Set when an acquire could not be applied: from then on every operation on shared objects throws it. */
    private volatile VirgoException broken;
    /**
     * Set, under {@link #exchangeLock}, once the final state is computed (or the program exited): no exchange may
     * follow it, since the origin merges that final state against the last exchange it saw. The {@link Refresher}
     * may still hold this thread's entry for one more round after {@link Refresher#unregister}.
     */
    private boolean ended;
    /** The reply to the last posted release, until an exchange saw it answered; under {@link #exchangeLock}. */
    private CompletableFuture<SyncProxy.Reply> posted;
    /** The shadow that posted it. */
    private int postedBy;
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
            exchange(() ->
            {
                final SyncProxy.Posted entered = post(SyncEncoder.OP_ENTER, monitor, 0, null, NO_STATE, null);
                acquire(call(SyncEncoder.OP_ACQUIRE, monitor, 0, null, NO_STATE, null));
                entered.answer(); // answered before the ACQUIRE: the shadow serves them in order
            });
            return;
        }
        call(SyncEncoder.OP_ENTER, monitor, 0, null, NO_STATE, null);
        exchange(() -> acquire(call(SyncEncoder.OP_ACQUIRE, monitor, 0, null, NO_STATE, null)));
    }

    @Override
    public void exit(final Object monitor)
    {
        exchange(() -> posting(SyncEncoder.OP_EXIT, monitor, null, null, null));
    }

    @Override
    public void await(final Object monitor, final long timeoutMs) throws InterruptedException
    {
        final SyncProxy.Reply reply;
        if (blocksWithAcquire())
        {
            final SyncProxy.Reply[] waited = new SyncProxy.Reply[1];
            exchange(() ->
            {
                posting(SyncEncoder.OP_RELEASE, monitor, null, null, null);
                final SyncProxy.Posted wait = post(SyncEncoder.OP_WAIT, monitor, timeoutMs, null, NO_STATE, null);
                acquire(call(SyncEncoder.OP_ACQUIRE, monitor, 0, null, NO_STATE, null, wait.correlationId));
                waited[0] = wait.answer();
            });
            reply = waited[0];
        }
        else
        {
            exchange(() -> posting(SyncEncoder.OP_RELEASE, monitor, null, null, null));
            reply = call(SyncEncoder.OP_WAIT, monitor, timeoutMs, null, NO_STATE, null);
            exchange(() -> acquire(call(SyncEncoder.OP_ACQUIRE, monitor, 0, null, NO_STATE, null)));
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
        checkWhenAnswered(post(all ? SyncEncoder.OP_NOTIFY_ALL : SyncEncoder.OP_NOTIFY, monitor, 0, null, NO_STATE, null)
            .reply);
    }

    @Override
    public void beforeVolatileRead(final Object target, final Class<?> owner, final String field)
    {
        if (null == target && !staticsShared(owner, field))
        {
            return;
        }
        exchange(() -> acquire(call(SyncEncoder.OP_VOLATILE_READ, null == target ? owner : target, 0,
            declaringClass(owner, field), NO_STATE, field)));
    }

    @Override
    public void afterVolatileWrite(final Object target, final Class<?> owner, final String field)
    {
        if (null == target && !staticsShared(owner, field))
        {
            return;
        }
        exchange(() -> posting(SyncEncoder.OP_VOLATILE_WRITE, null == target ? owner : target,
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
        if (mayBlock(target, name, descriptor) && blocksWithAcquire())
        {
            final boolean[] thrown = new boolean[1];
            exchange(() ->
            {
                posting(SyncEncoder.OP_RELEASE, target, null, null, args);
                final SyncProxy.Posted called =
                    post(SyncEncoder.OP_INVOKE_BLOCKING, target, 0, className, NO_STATE, method);
                outcome[0] = acquire(call(SyncEncoder.OP_ACQUIRE, target, 0, null, NO_STATE, null,
                    called.correlationId));
                thrown[0] = called.answer().threw();
            });
            threw = thrown[0];
        }
        else if (mayBlock(target, name, descriptor))
        {
            exchange(() -> posting(SyncEncoder.OP_RELEASE, target, null, null, args));
            final SyncProxy.Reply called = call(SyncEncoder.OP_INVOKE_BLOCKING, target, 0, className, NO_STATE, method);
            exchange(() -> outcome[0] = acquire(call(SyncEncoder.OP_ACQUIRE, target, 0, null, NO_STATE, null)));
            threw = called.threw();
        }
        else
        {
            final boolean[] thrown = new boolean[1];
            exchange(() ->
            {
                final byte[] state = release(args);
                final SyncProxy.Reply reply;
                try
                {
                    reply = call(SyncEncoder.OP_INVOKE, target, 0, className, state, method);
                }
                catch (final RuntimeException ex)
                {
                    undoRelease();
                    throw ex;
                }
                if (reply.broken())
                {
                    throw markBroken(reply.message, null);
                }
                thrown[0] = reply.threw();
                outcome[0] = acquire(reply);
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

    /** Runs one exchange of the image's state, in the order of all its exchanges (see {@link #exchangeLock}). */
    private void exchange(final Runnable step)
    {
        exchangeLock.lock();
        try
        {
            settlePosted(shadow());
            step.run();
        }
        finally
        {
            exchangeLock.unlock();
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
        if (!exchangeLock.tryLock())
        {
            return false;
        }
        try
        {
            if (ended || null != posted && !posted.isDone())
            {
                return false; // a posted release is on its way: the refresher's shadow may not overtake it
            }
            settlePosted(SyncEncoder.REFRESHER_SHADOW);
            final byte[] released;
            synchronized (image)
            {
                if (null != ownImage)
                {
                    ownImage.collectStatics();
                }
                released = image.releaseIfChanged();
            }
            final SyncProxy.Reply reply;
            try
            {
                reply = proxy.call(threadId, SyncEncoder.REFRESHER_SHADOW, SyncEncoder.OP_REFRESH, -1, 0, null, null,
                    released);
            }
            catch (final RuntimeException ex)
            {
                if (released.length > 0)
                {
                    undoRelease();
                }
                throw ex;
            }
            acquire(reply);
            return released.length > 0 || reply.state.length > 0;
        }
        finally
        {
            exchangeLock.unlock();
        }
    }

    /**
     * A posted release: the image's state (and {@code extras}, a call's arguments) goes with {@code op}, and the thread
     * goes on; when it cannot be sent it is undone here. Under {@link #exchangeLock}.
     */
    private void posting(
        final byte op, final Object object, final String className, final String fieldName, final Object[] extras)
    {
        final byte[] state = release(extras);
        final CompletableFuture<SyncProxy.Reply> reply;
        try
        {
            reply = post(op, object, 0, className, state, fieldName).reply;
        }
        catch (final RuntimeException ex)
        {
            undoRelease();
            throw ex;
        }
        posted = reply;
        postedBy = shadow();
        checkWhenAnswered(reply);
    }

    /**
     * Before an exchange by shadow {@code by} (under {@link #exchangeLock}): a posted release of another shadow must
     * have been applied at the origin first, so it is waited for; one of the same shadow is ahead of this exchange in
     * the shadow's queue anyway. Then, when the origin could not apply it, the exchange throws.
     */
    private void settlePosted(final int by)
    {
        final CompletableFuture<SyncProxy.Reply> reply = posted;
        if (null == reply || by == postedBy && !reply.isDone())
        {
            return;
        }
        posted = null;
        final SyncProxy.Reply answer;
        try
        {
            answer = reply.join();
        }
        catch (final CompletionException ex)
        {
            throw ex.getCause() instanceof VirgoException ? (VirgoException)ex.getCause() :
                new VirgoException(String.valueOf(ex.getCause()), ex.getCause());
        }
        if (answer.status != SyncReplyEncoder.STATUS_DONE)
        {
            throw brokenByPosted(answer);
        }
    }

    /** When a posted operation's reply says it failed, the two sides are out of step: said, and every later one throws. */
    private void checkWhenAnswered(final CompletableFuture<SyncProxy.Reply> reply)
    {
        reply.whenComplete((answer, failure) ->
        {
            if (null != answer && answer.status != SyncReplyEncoder.STATUS_DONE)
            {
                brokenByPosted(answer);
            }
        });
    }

    private synchronized VirgoException brokenByPosted(final SyncProxy.Reply answer)
    {
        final VirgoException failed = broken;
        return null != failed ? failed : markBroken("a release or notify the thread went on from failed at the " +
            "origin: " + (null == answer.message ? "status " + answer.status : answer.message), null);
    }

    private void undoRelease()
    {
        synchronized (image)
        {
            image.undoRelease();
        }
    }

    private SyncProxy.Posted post(
        final byte op,
        final Object object,
        final long timeoutMs,
        final String className,
        final byte[] state,
        final String fieldName)
    {
        final VirgoException failed = broken;
        if (null != failed)
        {
            throw new VirgoException(failed.getMessage(), failed);
        }
        final int objectId = object instanceof Class ? -1 : image.identityOf(object);
        final String name = null != className ? className : object instanceof Class ? ((Class<?>)object).getName() : null;
        return proxy.post(threadId, shadow(), op, objectId, timeoutMs, name, fieldName, state);
    }

    private SyncProxy.Reply call(
        final byte op,
        final Object object,
        final long timeoutMs,
        final String className,
        final byte[] state,
        final String fieldName)
    {
        return call(op, object, timeoutMs, className, state, fieldName, 0);
    }

    /** As above; an interrupt while it waits ends the posted wait or blocking call {@code interruptsFor}. */
    private SyncProxy.Reply call(
        final byte op,
        final Object object,
        final long timeoutMs,
        final String className,
        final byte[] state,
        final String fieldName,
        final long interruptsFor)
    {
        final VirgoException failed = broken;
        if (null != failed)
        {
            throw new VirgoException(failed.getMessage(), failed);
        }
        final int objectId = object instanceof Class ? -1 : image.identityOf(object);
        final String name = null != className ? className : object instanceof Class ? ((Class<?>)object).getName() : null;
        return proxy.call(threadId, shadow(), op, objectId, timeoutMs, name, fieldName, state, interruptsFor);
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
        exchangeLock.lock();
        try
        {
            settlePosted(Integer.MIN_VALUE); // the origin merges the final state off the shadows' queues: after it
            ended = true;
            final VirgoException failed = broken;
            if (null != failed)
            {
                throw new VirgoException(failed.getMessage(), failed);
            }
            synchronized (image)
            {
                if (null != ownImage)
                {
                    ownImage.collectStatics();
                }
                return image.finalState();
            }
        }
        finally
        {
            exchangeLock.unlock();
        }
    }

    /** The program exited at the origin: nothing more is exchanged. */
    void end()
    {
        Refresher.unregister(this);
        exchangeLock.lock();
        try
        {
            ended = true;
        }
        finally
        {
            exchangeLock.unlock();
        }
    }

    @Override
    public String toString()
    {
        return "moved thread '" + threadName + "' (" + threadId + ")";
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

    private byte[] release(final Object[] extras)
    {
        synchronized (image)
        {
            if (null != ownImage)
            {
                ownImage.collectStatics();
            }
            return image.release(extras);
        }
    }

    /** @return the extras the acquired state carried (a call's outcome), or null. */
    private Object[] acquire(final SyncProxy.Reply reply)
    {
        if (reply.state.length == 0)
        {
            return null;
        }
        synchronized (image)
        {
            final java.util.Map<String, Object[]> staticsBefore = null == ownImage ? null : ownImage.staticValuesNow();
            final Object[] extras;
            try
            {
                extras = image.acquire(reply.state, "thread '" + threadName + "'", VirgoLog::warn);
            }
            catch (final RuntimeException ex)
            {
                // The origin took this state as exchanged and this side could not: the two no longer agree on what
                // the other has, and every later exchange would write wrong values. Said loudly instead.
                throw markBroken("an acquire failed: " + ex.getMessage(), ex);
            }
            if (null != ownImage)
            {
                ownImage.installChangedStatics(staticsBefore);
            }
            return extras;
        }
    }

    /**
     * The two sides no longer agree on what the other has: from now on every operation on shared objects, and the final
     * state, throws this, and it is said once when it happens, not only when the thread next synchronizes.
     */
    private VirgoException markBroken(final String why, final Throwable cause)
    {
        broken = new VirgoException("the objects moved thread '" + threadName + "' shares with its origin can no " +
            "longer be kept coherent: " + why, cause);
        VirgoLog.warn(broken.getMessage());
        return broken;
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
