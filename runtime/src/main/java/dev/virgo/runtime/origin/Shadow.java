package dev.virgo.runtime.origin;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.wire.SyncEncoder;
import dev.virgo.runtime.wire.SyncReplyEncoder;
import org.agrona.ExpandableArrayBuffer;

import java.lang.reflect.Field;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The origin's stand-in for one thread of a moved program (the moved thread, or a thread it started on its node): a
 * platform thread here that performs that thread's synchronization operations on the real objects, so that the
 * program's other threads, here or moved, meet it exactly as they would meet a local thread (cJVM, JESSICA2).
 * <p>
 * Java monitors are block-structured, and so is the shadow: an ENTER runs {@code synchronized (object)} around the
 * serving of the next requests until the matching EXIT, so the shadow holds the real monitor exactly while the moved
 * thread holds its copy's. {@code wait} is {@code object.wait()} inside it (which lets the monitor go while it waits),
 * {@code notify} is {@code object.notify()}, a volatile read is a volatile read of the real field. Every release
 * (EXIT, a volatile write, the RELEASE before a WAIT) writes what the thread wrote into the real objects before the
 * operation; every acquire (the ACQUIRE after an ENTER or a WAIT, a volatile read) answers with the objects' state
 * after it. The node sends the exchanges of one thread's objects one at a time, each after the previous one's reply
 * (or, for a release it does not wait for, before any exchange of another of its shadows), so both sides apply them in
 * one order (see {@code dev.virgo.runtime.graph.SharedTable}). Each request is answered, even those the node does not
 * wait for; when one of those fails, the thread's exchanges are refused from then on
 * ({@link ThreadShadows#breakExchanges}). Parked in its queue while idle.
 */
final class Shadow implements Runnable
{
    private static final long POLL_MS = 100;

    private final ThreadShadows owner;
    private final RemoteThread remote;
    private final int number;
    private final LinkedBlockingQueue<SyncRequest> requests = new LinkedBlockingQueue<>();
    private final ExpandableArrayBuffer replyBuffer = new ExpandableArrayBuffer(256);
    private final SyncReplyEncoder reply = new SyncReplyEncoder();
    private final Thread thread;
    /** Why the last EXIT's release failed, or null; answered once the monitor is left. */
    private String exitFailure;
    /** The correlationId of the wait the node asked to interrupt; see {@link #interruptWait}. */
    private volatile long interruptFor = -1;
    private volatile boolean ended;
    /** The arguments the last RELEASE carried, for the OP_INVOKE_BLOCKING that follows it. */
    private Object[] releasedArgs;
    /** The outcome of the last OP_INVOKE_BLOCKING, for the ACQUIRE that follows it. */
    private ConcurrentCalls.Outcome blockingOutcome;

    Shadow(final ThreadShadows owner, final RemoteThread remote, final int number)
    {
        this.owner = owner;
        this.remote = remote;
        this.number = number;
        this.thread = new Thread(this, "virgo-shadow-" + remote.thread.getName() + (number > 0 ? "-" + number : ""));
        thread.setDaemon(true);
        thread.start();
    }

    /** On the conductor. */
    void submit(final SyncRequest request)
    {
        requests.add(request);
    }

    /** On the conductor: the node thread waiting in the wait {@code correlationId} was interrupted. */
    void interruptWait(final long correlationId)
    {
        interruptFor = correlationId;
        thread.interrupt();
    }

    /** The thread is over: let go of every monitor, end. */
    void end()
    {
        ended = true;
        thread.interrupt();
    }

    @Override
    public void run()
    {
        try
        {
            serveUntilExitOf(null);
        }
        catch (final Ended ignored)
        {
            // the monitors this shadow held are released as the synchronized blocks unwind
        }
        catch (final Throwable ex)
        {
            VirgoLog.error("the shadow of moved " + remote + " failed", ex);
        }
    }

    /**
     * Performs requests until the EXIT of {@code monitor} (the innermost one this shadow holds), after which the
     * caller leaves its {@code synchronized} block. At the outermost level ({@code monitor} null) until the end.
     */
    private SyncRequest serveUntilExitOf(final Object monitor)
    {
        while (true)
        {
            final SyncRequest request = next();
            try
            {
                switch (request.op)
                {
                    case SyncEncoder.OP_ENTER:
                        enter(request);
                        break;
                    case SyncEncoder.OP_EXIT:
                        final Object exited = owner.resolve(request.objectId, request.className);
                        if (exited != monitor || null == monitor)
                        {
                            send(request, SyncReplyEncoder.STATUS_ILLEGAL_MONITOR_STATE, null, null);
                            break;
                        }
                        exitFailure = null;
                        try
                        {
                            owner.release(request.state);
                        }
                        catch (final RuntimeException ex)
                        {
                            // The node thread leaves its monitor whatever happens: so does the shadow, then reports.
                            exitFailure = "the writes made under the monitor could not be applied here: " + ex;
                        }
                        return request; // the caller exits the monitor, then replies
                    case SyncEncoder.OP_WAIT:
                        await(request);
                        break;
                    case SyncEncoder.OP_NOTIFY:
                    case SyncEncoder.OP_NOTIFY_ALL:
                        final Object notified = owner.resolve(request.objectId, request.className);
                        if (!Thread.holdsLock(notified))
                        {
                            send(request, SyncReplyEncoder.STATUS_ILLEGAL_MONITOR_STATE, null, null);
                            break;
                        }
                        if (request.op == SyncEncoder.OP_NOTIFY)
                        {
                            notified.notify();
                        }
                        else
                        {
                            notified.notifyAll();
                        }
                        send(request, SyncReplyEncoder.STATUS_DONE, null, null);
                        break;
                    case SyncEncoder.OP_VOLATILE_READ:
                        send(request, SyncReplyEncoder.STATUS_DONE, volatileRead(request), null);
                        break;
                    case SyncEncoder.OP_VOLATILE_WRITE:
                        owner.release(request.state); // the volatile field is written last
                        send(request, SyncReplyEncoder.STATUS_DONE, null, null);
                        break;
                    case SyncEncoder.OP_ACQUIRE:
                        final ConcurrentCalls.Outcome outcome = blockingOutcome;
                        blockingOutcome = null;
                        send(request, SyncReplyEncoder.STATUS_DONE,
                            null == outcome ? owner.acquire() : owner.acquire(owner.outcome(outcome)), null);
                        break;
                    case SyncEncoder.OP_RELEASE:
                        releasedArgs = owner.release(request.state);
                        send(request, SyncReplyEncoder.STATUS_DONE, null, null);
                        break;
                    case SyncEncoder.OP_INVOKE:
                        invoke(request);
                        break;
                    case SyncEncoder.OP_INVOKE_BLOCKING:
                        invokeBlocking(request);
                        break;
                    case SyncEncoder.OP_REFRESH:
                        if (request.state.length > 0)
                        {
                            owner.release(request.state); // when it fails, FAILED: the node undoes it
                        }
                        byte[] acquired;
                        try
                        {
                            acquired = owner.acquireIfChanged();
                        }
                        catch (final RuntimeException ex)
                        {
                            // The release above is applied: FAILED would make the node undo it. The next refresh
                            // or acquire tries again.
                            VirgoLog.debug("refresh of moved " + remote + " sends nothing back: " + ex);
                            acquired = NO_STATE;
                        }
                        send(request, SyncReplyEncoder.STATUS_DONE, acquired, null);
                        break;
                    default:
                        send(request, SyncReplyEncoder.STATUS_FAILED, null, "unknown operation " + request.op);
                }
            }
            catch (final Ended ex)
            {
                throw ex;
            }
            catch (final Throwable ex)
            {
                send(request, SyncReplyEncoder.STATUS_FAILED, null, ex.toString());
            }
        }
    }

    private void enter(final SyncRequest request)
    {
        final Object monitor = owner.resolve(request.objectId, request.className);
        final SyncRequest exit;
        synchronized (monitor)
        {
            send(request, SyncReplyEncoder.STATUS_DONE, null, null); // the node's ACQUIRE comes next
            exit = serveUntilExitOf(monitor);
        }
        final String failure = exitFailure;
        send(exit, null == failure ? SyncReplyEncoder.STATUS_DONE : SyncReplyEncoder.STATUS_FAILED, null, failure);
    }

    /**
     * A volatile read: the state to acquire, encoded after a volatile read of the field so that it holds at least what
     * happened before the write that read saw. The encoding reads the field again, plainly, and a writer may change it
     * meanwhile, which would pair a newer value with older data; so the field is read again after the encoding, and
     * the encoding is only sent when the field kept its value across it (identity for references).
     */
    private byte[] volatileRead(final SyncRequest request) throws IllegalAccessException
    {
        final Field field = owner.volatileField(request.className, request.fieldName);
        final Object target = request.objectId >= 0 ? owner.resolve(request.objectId, null) : null;
        while (true)
        {
            final Object before = field.get(target);
            final byte[] state = owner.acquire();
            final Object after = field.get(target);
            if (before == after || field.getType().isPrimitive() && before.equals(after))
            {
                return state;
            }
            owner.undoAcquire(); // never sent: the node's twin is still the one before it
        }
    }

    /**
     * A call that never blocks, in one exchange: what the node released (with the call's arguments), the call, and the
     * state to acquire (with its outcome). The call is checked before the release is written, so that a refused one
     * changes nothing here (FAILED: the node undoes its release); once the release is written, whatever the call does
     * is its outcome.
     */
    private void invoke(final SyncRequest request)
    {
        final Object target = owner.resolve(request.objectId, null);
        final ConcurrentCalls.Call method = ConcurrentCalls.resolve(request.className, request.fieldName);
        final Object[] args = owner.release(request.state);
        ConcurrentCalls.Outcome outcome;
        try
        {
            outcome = ConcurrentCalls.invoke(method, target, null == args ? NO_ARGS : args);
        }
        catch (final RuntimeException ex)
        {
            outcome = new ConcurrentCalls.Outcome(null, ex);
        }
        final byte[] state;
        try
        {
            state = owner.acquire(owner.outcome(outcome));
        }
        catch (final RuntimeException ex)
        {
            send(request, SyncReplyEncoder.STATUS_BROKEN, null, "the call " + method + " was made, but what it " +
                "changed cannot be sent back: " + ex);
            return;
        }
        send(request, null == outcome.thrown ? SyncReplyEncoder.STATUS_DONE : SyncReplyEncoder.STATUS_THREW, state, null);
    }

    /**
     * A call that may block (a lock, an await), with the arguments of the RELEASE before it; its outcome goes with the
     * ACQUIRE after it. Only the node's interrupt of this very call counts: a late one, for an earlier call, is
     * cleared first, and an InterruptedException it causes anyway makes the call again (it had not happened).
     */
    private void invokeBlocking(final SyncRequest request)
    {
        final Object target = owner.resolve(request.objectId, null);
        final ConcurrentCalls.Call method = ConcurrentCalls.resolve(request.className, request.fieldName);
        final Object[] args = null == releasedArgs ? NO_ARGS : releasedArgs;
        releasedArgs = null;
        if (interruptFor == request.correlationId)
        {
            Thread.currentThread().interrupt(); // it came before the call, and was taken by the wait for requests
        }
        else
        {
            Thread.interrupted();
        }
        ConcurrentCalls.Outcome outcome;
        while (true)
        {
            try
            {
                outcome = ConcurrentCalls.invoke(method, target, args);
            }
            catch (final RuntimeException ex)
            {
                outcome = new ConcurrentCalls.Outcome(null, ex);
            }
            if (ended)
            {
                throw new Ended();
            }
            if (outcome.thrown instanceof InterruptedException && interruptFor != request.correlationId)
            {
                continue;
            }
            break;
        }
        Thread.interrupted(); // the node thread keeps its own interrupt status
        blockingOutcome = outcome;
        send(request, null == outcome.thrown ? SyncReplyEncoder.STATUS_DONE : SyncReplyEncoder.STATUS_THREW, null, null);
    }

    private static final Object[] NO_ARGS = new Object[0];

    private void await(final SyncRequest request) throws InterruptedException
    {
        final Object monitor = owner.resolve(request.objectId, request.className);
        if (!Thread.holdsLock(monitor))
        {
            send(request, SyncReplyEncoder.STATUS_ILLEGAL_MONITOR_STATE, null, null);
            return;
        }
        boolean interrupted = interruptFor == request.correlationId;
        if (!interrupted)
        {
            try
            {
                monitor.wait(request.timeoutMs);
            }
            catch (final InterruptedException ex)
            {
                if (ended)
                {
                    throw new Ended();
                }
                // Only the node's interrupt of this very wait counts; a late one for an earlier wait is a spurious
                // wake-up, which wait() allows.
                interrupted = interruptFor == request.correlationId;
            }
        }
        send(request, interrupted ? SyncReplyEncoder.STATUS_INTERRUPTED : SyncReplyEncoder.STATUS_DONE, null, null);
    }

    private SyncRequest next()
    {
        while (true)
        {
            if (ended)
            {
                throw new Ended();
            }
            try
            {
                final SyncRequest request = requests.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (null != request)
                {
                    return request;
                }
            }
            catch (final InterruptedException ex)
            {
                // an interrupt for a wait that is already over, or the end: checked above
            }
        }
    }

    private void send(final SyncRequest request, final byte status, final byte[] state, final String message)
    {
        if (status != SyncReplyEncoder.STATUS_DONE && posted(request.op))
        {
            owner.breakExchanges(null != message ? message : "status " + status + " of operation " + request.op);
        }
        reply.wrap(replyBuffer, 0).originId(owner.originId()).threadId(remote.threadId)
            .correlationId(request.correlationId)
            .status(status)
            .state(null == state ? NO_STATE : state)
            .message(message);
        try
        {
            remote.node.outbox().send(replyBuffer, 0, reply.encodedLength(), SEND_TIMEOUT_NS);
        }
        catch (final VirgoException ex)
        {
            VirgoLog.warn("cannot answer moved " + remote + ": " + ex.getMessage());
        }
    }

    /**
     * The operations the node does not wait for (see {@code MovedThreadSync}): the releases that answer nothing, and
     * notify. The node has gone on as if they were applied, so when one fails here the two sides are out of step.
     */
    private static boolean posted(final byte op)
    {
        return op == SyncEncoder.OP_EXIT || op == SyncEncoder.OP_VOLATILE_WRITE || op == SyncEncoder.OP_RELEASE ||
            op == SyncEncoder.OP_NOTIFY || op == SyncEncoder.OP_NOTIFY_ALL;
    }

    private static final byte[] NO_STATE = new byte[0];
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    /** Unwinds a shadow whose thread is over, letting go of its monitors on the way. */
    private static final class Ended extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        Ended()
        {
            super(null, null, false, false);
        }
    }
}
