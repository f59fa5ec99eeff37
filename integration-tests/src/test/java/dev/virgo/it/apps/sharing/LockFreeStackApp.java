package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicStampedReference;

/**
 * A Treiber stack whose top is an {@code AtomicStampedReference} (the stamp guards against ABA): two pushers each push
 * 100 distinct values, two poppers pop until 200 values came off, counted in a shared {@code AtomicInteger}. Each
 * push links a node the pusher just made to the top it read with its stamp ({@code get(int[])}) and swings the top
 * with {@code compareAndSet}; a pop swings it to the next node. Every value must come off exactly once, and the stamp
 * ends at one per successful swing.
 */
public final class LockFreeStackApp
{
    static final int PER_PUSHER = 100;
    static final int PUSHERS = 2;
    static final int TOTAL = PUSHERS * PER_PUSHER;
    static final long GIVE_UP_NS = 30_000_000_000L;

    static final class Node
    {
        final int value;
        Node next;

        Node(final int value)
        {
            this.value = value;
        }
    }

    static final class Stack
    {
        final AtomicStampedReference<Node> top = new AtomicStampedReference<>(null, 0);
        final AtomicInteger popped = new AtomicInteger();

        void push(final int value)
        {
            final Node node = new Node(value);
            final int[] stamp = new int[1];
            while (true)
            {
                final Node current = top.get(stamp);
                node.next = current;
                if (top.compareAndSet(current, node, stamp[0], stamp[0] + 1))
                {
                    return;
                }
            }
        }

        Node pop()
        {
            final int[] stamp = new int[1];
            while (true)
            {
                final Node current = top.get(stamp);
                if (null == current)
                {
                    return null;
                }
                if (top.compareAndSet(current, current.next, stamp[0], stamp[0] + 1))
                {
                    return current;
                }
            }
        }
    }

    static final class Pusher implements Runnable
    {
        private final Stack stack;
        private final int id;
        long ranIn;

        Pusher(final Stack stack, final int id)
        {
            this.stack = stack;
            this.id = id;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            for (int i = 0; i < PER_PUSHER; i++)
            {
                stack.push(id * 1000 + i);
            }
        }
    }

    static final class Popper implements Runnable
    {
        private final Stack stack;
        final List<Integer> taken = new ArrayList<>();
        long ranIn;

        Popper(final Stack stack)
        {
            this.stack = stack;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (stack.popped.get() < TOTAL && System.nanoTime() - giveUpAt < 0)
            {
                final Node node = stack.pop();
                if (null == node)
                {
                    Thread.yield();
                    continue;
                }
                taken.add(node.value);
                stack.popped.incrementAndGet();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Stack stack = new Stack();
        final Popper[] poppers = {new Popper(stack), new Popper(stack)};
        final Pusher[] pushers = {new Pusher(stack, 1), new Pusher(stack, 2)};
        final Thread[] threads = {
            new Thread(poppers[0], "popper-0"), new Thread(poppers[1], "popper-1"),
            new Thread(pushers[0], "pusher-0"), new Thread(pushers[1], "pusher-1")};
        for (final Thread thread : threads)
        {
            thread.start();
        }
        Report.joinAll(threads);

        Report.ran("popper-0", poppers[0].ranIn);
        Report.ran("popper-1", poppers[1].ranIn);
        Report.ran("pusher-0", pushers[0].ranIn);
        Report.ran("pusher-1", pushers[1].ranIn);
        final Set<Integer> distinct = new HashSet<>();
        long sum = 0;
        for (final Popper popper : poppers)
        {
            for (final int value : popper.taken)
            {
                distinct.add(value);
                sum += value;
            }
        }
        final int[] stamp = new int[1];
        final Node top = stack.top.get(stamp);
        Report.result("popped=" + stack.popped.get() + " distinct=" + distinct.size() + " sum=" + sum +
            " stamp=" + stamp[0] + " empty=" + (null == top));
    }
}
