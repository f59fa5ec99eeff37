package dev.virgo.runtime.node;

import dev.virgo.runtime.sharing.SyncContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Records what reaches a moved thread's context, and keeps the local meaning of each operation. */
final class RecordingContext implements SyncContext
{
    final List<String> events = new ArrayList<>();
    /** Each {@link #invoke}, as it came. */
    final List<Invocation> invocations = new ArrayList<>();
    /** What {@link #invoke} returns or throws. */
    Answer answer = invocation -> null;
    /** The event at which the origin fails, as when it cannot be reached. */
    String failOn;
    private final Map<Object, String> shared = new IdentityHashMap<>();

    void share(final Object object, final String name)
    {
        shared.put(object, name);
    }

    List<String> take()
    {
        final List<String> taken = new ArrayList<>(events);
        events.clear();
        invocations.clear();
        return taken;
    }

    /** How many threads made by a bound thread inherited this context. */
    final java.util.concurrent.atomic.AtomicInteger inherited = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void inheritedByNewThread()
    {
        inherited.incrementAndGet();
    }

    @Override
    public boolean isShared(final Object object)
    {
        return shared.containsKey(object);
    }

    /**
     * Records the call as {@code invoke <shared name> owner.name descriptor [args]} and answers what {@link #answer}
     * says: the node's side carries it to the origin, where the real object answers.
     */
    @Override
    public Object invoke(
        final Object target, final String owner, final String name, final String descriptor, final Object[] args)
        throws Throwable
    {
        final Invocation invocation = new Invocation(target, owner, name, descriptor, args);
        invocations.add(invocation);
        events.add("invoke " + shared.get(target) + " " + owner + "." + name + descriptor + " " +
            Arrays.toString(args));
        return answer.answer(invocation);
    }

    @Override
    public void enter(final Object monitor)
    {
        record("enter " + shared.get(monitor));
    }

    @Override
    public void exit(final Object monitor)
    {
        record("exit " + shared.get(monitor));
    }

    private void record(final String event)
    {
        events.add(event);
        if (event.equals(failOn))
        {
            throw new IllegalStateException("origin failed: " + event);
        }
    }

    @Override
    public void await(final Object monitor, final long timeoutMs) throws InterruptedException
    {
        events.add("await " + shared.get(monitor) + " " + timeoutMs + " ms");
        monitor.wait(timeoutMs);
    }

    @Override
    public void notify(final Object monitor, final boolean all)
    {
        events.add((all ? "notifyAll " : "notify ") + shared.get(monitor));
        if (all)
        {
            monitor.notifyAll();
        }
        else
        {
            monitor.notify();
        }
    }

    @Override
    public void beforeVolatileRead(final Object target, final Class<?> owner, final String field)
    {
        events.add("read " + shared.get(null == target ? owner : target) + " " + owner.getSimpleName() + "." +
            field);
    }

    @Override
    public void afterVolatileWrite(final Object target, final Class<?> owner, final String field)
    {
        events.add("write " + shared.get(null == target ? owner : target) + " " + owner.getSimpleName() + "." +
            field);
    }

    /** A call of {@link SyncContext#invoke}, its arguments as they came. */
    static final class Invocation
    {
        final Object target;
        final String owner;
        final String name;
        final String descriptor;
        final List<Object> args;

        Invocation(
            final Object target, final String owner, final String name, final String descriptor, final Object[] args)
        {
            this.target = target;
            this.owner = owner;
            this.name = name;
            this.descriptor = descriptor;
            this.args = Arrays.asList(args);
        }
    }

    /** What the origin would answer to one {@link SyncContext#invoke}. */
    @FunctionalInterface
    interface Answer
    {
        Object answer(Invocation invocation) throws Throwable;
    }
}
