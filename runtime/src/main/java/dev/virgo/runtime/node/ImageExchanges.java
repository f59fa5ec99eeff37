package dev.virgo.runtime.node;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.graph.Image;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.wire.SyncEncoder;
import dev.virgo.runtime.wire.SyncReplyEncoder;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exchanges of one moved thread's {@link Image} with its shadows at the origin, in one order on both sides: each
 * release sends the image's state, each acquire writes the state that came back into the copies, and the two sides
 * append the objects an exchange carried to their tables in the same order ({@code SharedTable}). The moved thread, the
 * threads it started on the node (each with a shadow of its own) and the {@link Refresher} take turns here.
 * <p>
 * A release that answers nothing is <em>posted</em> ({@link #posting}): the thread goes on before the origin applied
 * it, as a processor's store buffer lets a core go on after a store. Every later operation of the same thread reaches
 * the same shadow after it and is served after it; an exchange by another shadow (another thread of the image, the
 * refresher, the final state) first waits for its reply ({@link #settlePosted}), so the order holds. A posted release
 * the origin could not apply leaves the two sides out of step: the origin refuses every later exchange of the thread,
 * and this side throws from the next one ({@link #broken}).
 * <p>
 * The statics that travelled with the thread (its own class loader's) are read into their value arrays before every
 * exchange, and an acquire installs what came back into the static fields, so they are shared like any object.
 */
final class ImageExchanges
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
     * the refresher) makes them. Held while the program waits only when the moved thread is the image's sole thread
     * and its blocking operation travels with the acquire after it ({@code MovedThreadSync#blocksWithAcquire}).
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

    /**
     * @param ownImage the thread's own class loader when statics travelled with it (they are then part of the
     *                 image), else null.
     * @param carrier  the carrier running the moved thread itself: shadow 0.
     */
    ImageExchanges(
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

    /**
     * The acquiring half of an exchange: {@code op} (an ACQUIRE, a volatile read) and the state its reply carries,
     * written into the copies. An interrupt meanwhile ends the posted wait or blocking call {@code interruptsFor}.
     *
     * @return the extras the state carried (a call's outcome), or null.
     */
    Object[] acquiring(
        final byte op, final Object object, final String className, final String fieldName, final long interruptsFor)
    {
        return acquire(call(op, object, 0, className, NO_STATE, fieldName, interruptsFor));
    }

    /** Runs one exchange of the image's state, in the order of all its exchanges (see {@link #exchangeLock}). */
    void exchange(final Runnable step)
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
    void posting(
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
        final SyncProxy.Reply answer = SyncProxy.joined(reply);
        if (answer.status != SyncReplyEncoder.STATUS_DONE)
        {
            throw brokenByPosted(answer);
        }
    }

    /** When a posted operation's reply says it failed, the two sides are out of step: said, and later ones throw. */
    void checkWhenAnswered(final CompletableFuture<SyncProxy.Reply> reply)
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

    void undoRelease()
    {
        synchronized (image)
        {
            image.undoRelease();
        }
    }

    SyncProxy.Posted post(
        final byte op,
        final Object object,
        final long timeoutMs,
        final String className,
        final byte[] state,
        final String fieldName)
    {
        throwIfBroken();
        final int objectId = object instanceof Class ? -1 : image.identityOf(object);
        final String name = null != className ? className : nameOfClass(object);
        return proxy.post(threadId, shadow(), op, objectId, timeoutMs, name, fieldName, state);
    }

    SyncProxy.Reply call(
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
    SyncProxy.Reply call(
        final byte op,
        final Object object,
        final long timeoutMs,
        final String className,
        final byte[] state,
        final String fieldName,
        final long interruptsFor)
    {
        throwIfBroken();
        final int objectId = object instanceof Class ? -1 : image.identityOf(object);
        final String name = null != className ? className : nameOfClass(object);
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

    /** The shadow of the calling thread: 0 for the moved thread itself, a number of its own for each one it started. */
    int shadow()
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

    byte[] release(final Object[] extras)
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
    Object[] acquire(final SyncProxy.Reply reply)
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
    VirgoException markBroken(final String why, final Throwable cause)
    {
        broken = new VirgoException("the objects moved thread '" + threadName + "' shares with its origin can no " +
            "longer be kept coherent: " + why, cause);
        VirgoLog.warn(broken.getMessage());
        return broken;
    }

    private void throwIfBroken()
    {
        final VirgoException failed = broken;
        if (null != failed)
        {
            throw new VirgoException(failed.getMessage(), failed);
        }
    }

    /** A monitor or volatile static of a class is named by the class; an object is named by its identity. */
    private static String nameOfClass(final Object object)
    {
        return object instanceof Class ? ((Class<?>)object).getName() : null;
    }
}
