package dev.virgo.runtime.node;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.transport.Outbox;
import dev.virgo.runtime.wire.SyncEncoder;
import dev.virgo.runtime.wire.SyncReplyEncoder;
import org.agrona.ExpandableArrayBuffer;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends one origin's moved threads' SYNC requests and hands each SYNC_REPLY to the thread waiting for it. A
 * synchronization operation may wait as long as the program makes it wait (a monitor held for minutes, a wait until
 * notified), so there is no time-out; the wait ends when the reply comes or the origin leaves.
 */
final class SyncProxy
{
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final byte[] NO_STATE = new byte[0];

    private final long originId;
    private final Outbox outbox;
    private final String origin;
    private final AtomicLong correlationIds = new AtomicLong();
    private final Map<Long, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();
    private final ThreadLocal<ExpandableArrayBuffer> buffers =
        ThreadLocal.withInitial(() -> new ExpandableArrayBuffer(256));
    private volatile boolean closed;

    /** An answer from the shadow. */
    static final class Reply
    {
        final byte status;
        final byte[] state;
        final String message;

        Reply(final byte status, final byte[] state, final String message)
        {
            this.status = status;
            this.state = state;
            this.message = message;
        }

        boolean interrupted()
        {
            return status == SyncReplyEncoder.STATUS_INTERRUPTED;
        }

        boolean threw()
        {
            return status == SyncReplyEncoder.STATUS_THREW;
        }

        boolean broken()
        {
            return status == SyncReplyEncoder.STATUS_BROKEN;
        }
    }

    SyncProxy(final long originId, final Outbox outbox, final String origin)
    {
        this.originId = originId;
        this.outbox = outbox;
        this.origin = origin;
    }

    /**
     * Sends one operation and waits for its reply, ignoring interrupts (which stay set), except that a WAIT or a call
     * that may block forwards an interrupt to the shadow, whose wait then ends with STATUS_INTERRUPTED (the call, with
     * what it does when interrupted). A reply that says the call threw, or that the two sides no longer agree
     * (STATUS_BROKEN), is returned: the caller knows what each means for its exchange.
     *
     * @throws IllegalMonitorStateException when the shadow does not hold the monitor.
     * @throws VirgoException               when the operation failed at the origin, or the origin left.
     */
    Reply call(
        final long threadId,
        final int shadow,
        final byte op,
        final int objectId,
        final long timeoutMs,
        final String className,
        final String fieldName,
        final byte[] state)
    {
        return call(threadId, shadow, op, objectId, timeoutMs, className, fieldName, state, 0);
    }

    /**
     * As above; an interrupt while this call waits goes to the posted WAIT or blocking call {@code interruptsFor}
     * (its correlation id; 0 for none), which the shadow serves before this one.
     */
    Reply call(
        final long threadId,
        final int shadow,
        final byte op,
        final int objectId,
        final long timeoutMs,
        final String className,
        final String fieldName,
        final byte[] state,
        final long interruptsFor)
    {
        final Posted sent = post(threadId, shadow, op, objectId, timeoutMs, className, fieldName, state);
        final boolean interruptible = op == SyncEncoder.OP_WAIT || op == SyncEncoder.OP_INVOKE_BLOCKING;
        return checked(await(sent.reply, threadId, shadow, interruptible ? sent.correlationId : interruptsFor));
    }

    /** A reply as {@link #call} hands it back: IllegalMonitorStateException and FAILED thrown, the others returned. */
    private Reply checked(final Reply answer)
    {
        if (answer.status == SyncReplyEncoder.STATUS_ILLEGAL_MONITOR_STATE)
        {
            throw new IllegalMonitorStateException("current thread is not owner (at the origin)");
        }
        if (answer.status == SyncReplyEncoder.STATUS_FAILED)
        {
            throw new VirgoException("a synchronization with origin " + origin + " failed: " + answer.message);
        }
        return answer;
    }

    /**
     * Sends one operation without waiting for its reply: a release the origin applies in this thread's order, before
     * any later operation of the same thread (its shadow serves them in sequence). The reply completes the returned
     * future when it comes (exceptionally when the origin leaves first); a caller that needs the operation applied
     * before something else, or its outcome, waits on it then.
     *
     * @throws VirgoException when the origin left, or the request could not be sent.
     */
    Posted post(
        final long threadId,
        final int shadow,
        final byte op,
        final int objectId,
        final long timeoutMs,
        final String className,
        final String fieldName,
        final byte[] state)
    {
        final long correlationId = correlationIds.incrementAndGet();
        final CompletableFuture<Reply> reply = new CompletableFuture<>();
        pending.put(correlationId, reply);
        try
        {
            if (closed)
            {
                throw left();
            }
            send(threadId, shadow, op, correlationId, objectId, timeoutMs, className, fieldName, state);
        }
        catch (final RuntimeException ex)
        {
            pending.remove(correlationId);
            throw ex;
        }
        if (closed)
        {
            reply.completeExceptionally(left()); // close() may have run before the put was visible to it
        }
        reply.whenComplete((answer, failure) -> pending.remove(correlationId));
        return new Posted(correlationId, reply);
    }

    /** An operation sent without waiting: its correlation id, and its reply to come. */
    final class Posted
    {
        final long correlationId;
        final CompletableFuture<Reply> reply;

        Posted(final long correlationId, final CompletableFuture<Reply> reply)
        {
            this.correlationId = correlationId;
            this.reply = reply;
        }

        /**
         * Waits for the reply, without giving up on an interrupt (which stays set), and throws what
         * {@link #call} would have thrown for it; returns the others.
         */
        Reply answer()
        {
            return checked(joined(reply));
        }
    }

    /**
     * Waits for a reply without giving up on an interrupt (which stays set); the origin leaving while it waits is
     * thrown as the {@link VirgoException} that completed it.
     */
    static Reply joined(final CompletableFuture<Reply> reply)
    {
        try
        {
            return reply.join();
        }
        catch (final java.util.concurrent.CompletionException ex)
        {
            throw ex.getCause() instanceof VirgoException ? (VirgoException)ex.getCause() :
                new VirgoException(String.valueOf(ex.getCause()), ex.getCause());
        }
    }

    /** On the conductor. */
    void onReply(final long correlationId, final byte status, final byte[] state, final String message)
    {
        final CompletableFuture<Reply> reply = pending.get(correlationId);
        if (null != reply)
        {
            reply.complete(new Reply(status, state, message));
        }
    }

    /** The origin left: every waiting thread unwinds. */
    void close()
    {
        closed = true;
        for (final CompletableFuture<Reply> reply : pending.values())
        {
            reply.completeExceptionally(left());
        }
    }

    /** @param interruptsFor the correlation id of the wait or blocking call an interrupt ends, or 0. */
    private Reply await(
        final CompletableFuture<Reply> reply,
        final long threadId,
        final int shadow,
        final long interruptsFor)
    {
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    return reply.get();
                }
                catch (final InterruptedException ex)
                {
                    if (0 != interruptsFor && !interrupted)
                    {
                        send(threadId, shadow, SyncEncoder.OP_INTERRUPT, correlationIds.incrementAndGet(), -1,
                            interruptsFor, null, null, NO_STATE);
                    }
                    interrupted = true;
                }
                catch (final ExecutionException ex)
                {
                    throw ex.getCause() instanceof VirgoException ? (VirgoException)ex.getCause() :
                        new VirgoException(ex.getCause().toString(), ex.getCause());
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt(); // the caller decides, from the reply, what the interrupt meant
            }
        }
    }

    private void send(
        final long threadId,
        final int shadow,
        final byte op,
        final long correlationId,
        final int objectId,
        final long timeoutMs,
        final String className,
        final String fieldName,
        final byte[] state)
    {
        final SyncEncoder sync = new SyncEncoder();
        sync.wrap(buffers.get(), 0).originId(originId).threadId(threadId)
            .correlationId(correlationId)
            .shadow(shadow)
            .op(op)
            .objectId(objectId)
            .timeoutMs(timeoutMs)
            .className(className)
            .fieldName(fieldName)
            .state(state);
        outbox.send(sync.buffer(), 0, sync.encodedLength(), SEND_TIMEOUT_NS);
    }

    private VirgoException left()
    {
        return new VirgoException("origin " + origin + " left while a moved thread synchronized with it");
    }
}
