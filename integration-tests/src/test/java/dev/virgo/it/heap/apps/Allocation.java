package dev.virgo.it.heap.apps;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.api.heap.SharedHeap;
import dev.virgo.api.heap.SharedMemory;
import dev.virgo.it.apps.Check;

import java.time.Duration;

/** Allocates shared memory in the JVM it runs in, so that the memory is homed there. */
final class Allocation extends Party
{
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final long bytes;
    long address;

    private Allocation(final Parties parties, final String name, final long bytes)
    {
        super(name, parties);
        this.bytes = bytes;
    }

    @Override
    protected void body()
    {
        address = SharedHeap.memory().malloc(bytes);
    }

    /**
     * Allocates {@code bytes} at the origin and, in two moved threads started back to back (so on the two nodes), on
     * each node; checks ({@code memory-homed-on-three-members}) that the three are homed on three members.
     *
     * @return the three addresses, the origin's first, or null (after FAIL lines) if a node could not allocate.
     */
    static long[] onEveryMember(final SharedMemory memory, final Parties parties, final long bytes)
        throws InterruptedException
    {
        final Allocation first = new Allocation(parties, "allocate-1", bytes);
        final Allocation second = new Allocation(parties, "allocate-2", bytes);
        parties.start(first, Placement.MOVED);
        parties.start(second, Placement.MOVED);
        final long[] addresses = {memory.malloc(bytes), 0, 0};
        if (!parties.joinAll("allocate", TIMEOUT))
        {
            return null;
        }
        addresses[1] = first.address;
        addresses[2] = second.address;
        final long origin = Check.pid();
        final int home1 = GlobalAddress.home(addresses[1]);
        final int home2 = GlobalAddress.home(addresses[2]);
        final boolean threeHomes = GlobalAddress.home(addresses[0]) == 0 && home1 != 0 && home2 != 0 && home1 != home2;
        Check.that("memory-homed-on-three-members",
            threeHomes && first.pid != origin && second.pid != origin && first.pid != second.pid,
            "origin's at " + GlobalAddress.toString(addresses[0]) + ", " + GlobalAddress.toString(addresses[1]) +
                " from " + first + ", " + GlobalAddress.toString(addresses[2]) + " from " + second);
        return addresses;
    }
}
