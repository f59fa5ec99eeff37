package dev.virgo.agent.instrument;

import dev.virgo.agent.bootstrap.ThreadDispatcher;
import net.bytebuddy.asm.Advice;

import java.time.Duration;

/**
 * Advice inlined into {@link Thread}'s own methods. Each enter method asks the bootstrap
 * {@link ThreadDispatcher}; a non-default return skips the JDK's body, so for a moved thread the answer comes from
 * the remote thread and for every other thread nothing changes.
 */
final class ThreadAdvice
{
    private ThreadAdvice()
    {
    }

    static final class Start
    {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.This final Thread thread)
        {
            return ThreadDispatcher.start(thread);
        }
    }

    static final class JoinMillis
    {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.This final Thread thread, @Advice.Argument(0) final long millis)
            throws InterruptedException
        {
            return ThreadDispatcher.join(thread, millis);
        }
    }

    static final class JoinDuration
    {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Boolean enter(@Advice.This final Thread thread, @Advice.Argument(0) final Duration duration)
            throws InterruptedException
        {
            if (ThreadDispatcher.getState(thread) == null)
            {
                return null;
            }
            final long nanos = duration.isNegative() ? 0 : duration.toNanos();
            if (nanos > 0)
            {
                ThreadDispatcher.join(thread, Math.max(1, (nanos + 999_999) / 1_000_000));
            }
            return ThreadDispatcher.getState(thread) == Thread.State.TERMINATED;
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter final Boolean handled, @Advice.Return(readOnly = false) boolean result)
        {
            if (null != handled)
            {
                result = handled;
            }
        }
    }

    static final class GetState
    {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Thread.State enter(@Advice.This final Thread thread)
        {
            return ThreadDispatcher.getState(thread);
        }

        @Advice.OnMethodExit
        static void exit(
            @Advice.Enter final Thread.State remote, @Advice.Return(readOnly = false) Thread.State result)
        {
            if (null != remote)
            {
                result = remote;
            }
        }
    }

    static final class IsAlive
    {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Boolean enter(@Advice.This final Thread thread)
        {
            return ThreadDispatcher.isAliveOrNull(thread);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter final Boolean remote, @Advice.Return(readOnly = false) boolean result)
        {
            if (null != remote)
            {
                result = remote;
            }
        }
    }

    static final class Interrupt
    {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.This final Thread thread)
        {
            return ThreadDispatcher.interrupt(thread);
        }
    }

    static final class IsInterrupted
    {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Boolean enter(@Advice.This final Thread thread)
        {
            return ThreadDispatcher.isInterruptedOrNull(thread);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter final Boolean remote, @Advice.Return(readOnly = false) boolean result)
        {
            if (null != remote)
            {
                result = remote;
            }
        }
    }
}
