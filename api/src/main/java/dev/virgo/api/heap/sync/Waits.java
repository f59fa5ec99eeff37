package dev.virgo.api.heap.sync;

import dev.virgo.api.heap.GlobalAddress;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting for a predicate on shared state, with back-off, a timeout and interruption; and argument checks. */
final class Waits
{
    /** A timeout that never expires. */
    static final long NO_TIMEOUT = Long.MAX_VALUE;

    private Waits()
    {
    }

    /**
     * @return true once {@code done} holds, false if {@code timeoutNs} passed first ({@link #NO_TIMEOUT}: never).
     * @throws InterruptedException if the thread is interrupted on entry or while waiting (the flag is cleared).
     */
    static boolean await(final BooleanSupplier done, final long timeoutNs) throws InterruptedException
    {
        if (Thread.interrupted())
        {
            throw new InterruptedException();
        }
        if (done.getAsBoolean())
        {
            return true;
        }
        final long startNs = System.nanoTime();
        final Backoff backoff = new Backoff();
        while (true)
        {
            long remainingNs = NO_TIMEOUT;
            if (NO_TIMEOUT != timeoutNs)
            {
                remainingNs = timeoutNs - (System.nanoTime() - startNs);
                if (remainingNs <= 0)
                {
                    return false;
                }
            }
            backoff.idle(remainingNs);
            if (Thread.interrupted())
            {
                throw new InterruptedException();
            }
            if (done.getAsBoolean())
            {
                return true;
            }
        }
    }

    /** Waits until {@code done} holds, whatever interrupts come; the interrupt flag is set again on return. */
    static void awaitUninterruptibly(final BooleanSupplier done)
    {
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    await(done, NO_TIMEOUT);
                    return;
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    static long toNanos(final long time, final TimeUnit unit)
    {
        return Math.max(0, unit.toNanos(time));
    }

    /** @return {@code address} if it can hold a synchronizer's state: not null and 8-byte aligned. */
    static long checkStateAddress(final long address, final String what)
    {
        if (0 == address || 0 != (address & 7))
        {
            throw new IllegalArgumentException(what + " at address=" + GlobalAddress.toString(address) +
                ": a non-null, 8-byte aligned address expected");
        }
        return address;
    }
}
