package dev.virgo.dsm.member;

import dev.virgo.api.heap.SharedMemoryException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member that leaves the heap takes its memory with it: accesses to it fail at once, naming the page and the
 * member (not the miss timeout's "no answer"), and nothing waits for its acknowledgements.
 */
class MemberLeftTest extends ThreeMemberTest
{
    @Test
    void shouldFailAccessesToPagesHomedAtAMemberThatLeft()
    {
        c.nameMember(2, "node-2");
        b.nameMember(2, "node-2");
        final long address = c.malloc(64);
        c.putLong(address, 7);
        assertEquals(7, b.getLong(address), "b holds a copy");

        c.close();
        b.memberLeft(2);
        a.memberLeft(2);

        final SharedMemoryException held = assertThrows(SharedMemoryException.class, () -> b.getLong(address));
        assertTrue(held.getMessage().contains("page 0x" + Long.toHexString(address & ~4095L)), held.getMessage());
        assertTrue(held.getMessage().contains("member 2 (node-2) left the shared heap"), held.getMessage());
        final SharedMemoryException neverHeld = assertThrows(SharedMemoryException.class, () -> a.putLong(address, 1));
        assertTrue(neverHeld.getMessage().contains("left the shared heap"), neverHeld.getMessage());
        assertThrows(SharedMemoryException.class, () -> a.free(address));
    }

    @Test
    void shouldReportThePageLostWhenItsOnlyCurrentCopyLeft()
    {
        a.nameMember(1, "node-1");
        final long address = a.malloc(64);
        b.putLong(address, 42); // b owns the page: a's master copy is stale

        b.close();
        a.memberLeft(1);
        c.memberLeft(1);

        final SharedMemoryException lost = assertThrows(SharedMemoryException.class, () -> c.getLong(address));
        assertTrue(lost.getMessage().contains("only current copy was on member 1"), lost.getMessage());
        assertTrue(lost.getMessage().contains("data is lost"), lost.getMessage());
        a.free(address); // the allocation can still be returned
    }

    @Test
    void shouldNotWaitForTheInvalidationAckOfAMemberThatLeft() throws Exception
    {
        final long address = a.malloc(64);
        assertEquals(0, b.getLong(address), "b holds a read copy");
        b.close(); // it will never acknowledge an invalidation

        final long requestsBefore = c.requestsSent();
        final Future<Long> writer = start(() ->
        {
            c.putLong(address, 5);
            return c.getLong(address);
        });
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (c.requestsSent() == requestsBefore && System.nanoTime() < deadline)
        {
            Thread.onSpinWait(); // the write miss is on its way to the home, which will wait for b's ack
        }
        a.memberLeft(1);
        c.memberLeft(1);
        assertEquals(5L, writer.get(WAIT_S, TimeUnit.SECONDS));
        assertEquals(5L, a.getLong(address));
    }
}
