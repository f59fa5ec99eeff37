package dev.virgo.it.heap.apps;

import dev.virgo.api.Offload;

/**
 * Where a {@link Party} runs: in a thread of the origin JVM, or in a thread Virgo moves to a node. Both are plain
 * {@code new Thread(runnable).start()}; only the runnable's class differs: {@link Moved} is {@code @Offload}, {@link
 * Local} is not. Moved threads are placed by the runtime (the node with the fewest moved threads in flight,
 * round-robin among equals), so two started back to back land on different nodes.
 */
public enum Placement
{
    LOCAL, MOVED;

    Thread newThread(final Party party)
    {
        return new Thread(this == MOVED ? new Moved(party) : new Local(party), party.name);
    }

    /** Runs its party where Virgo moves it. */
    @Offload
    static final class Moved implements Runnable
    {
        private final Party party;

        Moved(final Party party)
        {
            this.party = party;
        }

        @Override
        public void run()
        {
            party.runHere();
        }
    }

    /** Runs its party at the origin. */
    static final class Local implements Runnable
    {
        private final Party party;

        Local(final Party party)
        {
            this.party = party;
        }

        @Override
        public void run()
        {
            party.runHere();
        }
    }
}
