package dev.virgo.dsm.member;

import dev.virgo.dsm.protocol.CoherenceMessage;
import dev.virgo.runtime.security.FrameSealer;
import dev.virgo.runtime.security.Handshake;
import dev.virgo.runtime.transport.Outbox;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static dev.virgo.dsm.member.Members.CHANNEL;
import static dev.virgo.dsm.member.Members.FIRST_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 10: heap messages are believed only from the member whose key opened them. Four members over real Aeron IPC:
 * a (0), b (1) and c (2) are honest; d (3) holds real keys but lies (a compromised member), and the test itself plays
 * an outsider who can reach the members' streams but holds no key. Each forgery must be refused and counted, must not
 * change what any member reads, and the members must go on serving reads and writes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeapLinkTrustTest
{
    private static final int PAGE = 4096;
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(20);
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final ExpandableArrayBuffer message = new ExpandableArrayBuffer(PAGE + 128);
    private Members cluster;
    private DsmMember a;
    private DsmMember b;
    private DsmMember c;
    private DsmMember d;

    private void startMembers(final boolean encrypt)
    {
        cluster = new Members(4, PAGE, DsmMember.MAX_CACHED_PAGES_DEFAULT, encrypt);
        a = cluster.members[0];
        b = cluster.members[1];
        c = cluster.members[2];
        d = cluster.members[3];
    }

    @AfterEach
    void stopMembers()
    {
        if (null != cluster)
        {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "encrypt={0}")
    @ValueSource(booleans = {false, true})
    void shouldRefuseAGrantSealedWithAWrongKey(final boolean encrypt)
    {
        startMembers(encrypt);
        final long address = a.malloc(64);
        b.putLong(address, 42);

        // An outsider claims a's session towards c, and grants c a page it never asked for, with its own value in it.
        final byte[] guessedKey = new byte[Handshake.KEY_BYTES];
        new SecureRandom().nextBytes(guessedKey);
        try (Outbox forger = cluster.transport().openOutbox(CHANNEL, FIRST_STREAM + 2))
        {
            forger.protect(new FrameSealer(guessedKey, MemberLinks.sessionIdOf(0), encrypt));
            final int length = forgedGrant(0, address, 666);
            forger.send(message, 0, length, SEND_TIMEOUT_NS);
        }
        awaitAtLeast(1, c::refusedFrameCount, "c refuses the frame sealed under a guessed key");

        assertEquals(42, c.getLong(address), "c reads the value written, not the forged one");
        assertStillServing(address);
    }

    @Test
    void shouldDropPlainFramesAndFramesOfAnUnknownSession()
    {
        startMembers(false);
        final long address = a.malloc(64);
        c.putLong(address, 5);

        try (Outbox plain = cluster.transport().openOutbox(CHANNEL, FIRST_STREAM))
        {
            // A write request "from b", which would make b the page's owner in a's directory if it were believed.
            plain.send(message, 0, CoherenceMessage.header(message, CoherenceMessage.WRITE, 1, pageOf(address), 0),
                SEND_TIMEOUT_NS);
        }
        awaitAtLeast(1, () -> a.droppedMessageCount(CoherenceDrop.UNAUTHENTICATED), "a drops the plain request");

        final byte[] someKey = new byte[Handshake.KEY_BYTES];
        new SecureRandom().nextBytes(someKey);
        try (Outbox stranger = cluster.transport().openOutbox(CHANNEL, FIRST_STREAM))
        {
            stranger.protect(new FrameSealer(someKey, MemberLinks.sessionIdOf(50), false));
            stranger.send(message, 0, CoherenceMessage.header(message, CoherenceMessage.READ, 50, pageOf(address), 0),
                SEND_TIMEOUT_NS);
        }
        awaitAtLeast(1, a::refusedFrameCount, "a refuses a session it never linked");

        assertEquals(5, b.getLong(address));
        assertStillServing(address);
    }

    @ParameterizedTest(name = "encrypt={0}")
    @ValueSource(booleans = {false, true})
    void shouldRefuseAReplayedGrant(final boolean encrypt) throws Exception
    {
        startMembers(encrypt);
        final long address = c.malloc(64);
        c.putLong(address, 1);

        // Capture, as anyone who can read b's stream could, the frame that grants b its copy.
        final byte[] captured;
        try (Subscription tap = cluster.transport().aeron().addSubscription(CHANNEL, FIRST_STREAM + 1))
        {
            awaitAtLeast(1, () -> tap.isConnected() ? 1 : 0, "the tap on b's stream connects");
            assertEquals(1, b.getLong(address));
            captured = captureGrant(tap);
        }

        c.putLong(address, 2); // b's copy is invalidated: the captured grant is now stale
        final long refusedBefore = b.refusedFrameCount();
        try (Publication replay = cluster.transport().aeron().addPublication(CHANNEL, FIRST_STREAM + 1))
        {
            final UnsafeBuffer frame = new UnsafeBuffer(captured);
            final long deadline = System.nanoTime() + WAIT_NS;
            while (replay.offer(frame, 0, captured.length) < 0)
            {
                if (System.nanoTime() > deadline)
                {
                    fail("could not replay the captured frame in 20 s");
                }
                Thread.yield();
            }
        }
        awaitAtLeast(refusedBefore + 1, b::refusedFrameCount, "b refuses the replayed frame");

        assertEquals(2, b.getLong(address), "b reads the current value, not the replayed grant's");
        assertStillServing(address);
    }

    @Test
    void shouldDropAMessageWhoseFromClaimsAnotherMember()
    {
        startMembers(false);
        final long address = a.malloc(64);
        b.putLong(address, 42);
        assertEquals(42, c.getLong(address), "c holds a read copy");

        // d, under its own keys, speaks as a (the page's home) and as b.
        send(3, 2, forgedGrant(0, address, 666));
        send(3, 2, CoherenceMessage.header(message, CoherenceMessage.INVALIDATE, 0, pageOf(address), 1));
        send(3, 0, CoherenceMessage.header(message, CoherenceMessage.WRITE, 1, pageOf(address), 0));
        send(3, 0, CoherenceMessage.header(message, CoherenceMessage.READ, 200, pageOf(address), 0));
        awaitAtLeast(2, () -> c.droppedMessageCount(CoherenceDrop.FORGED_SENDER), "c drops d's grant and invalidation");
        awaitAtLeast(2, () -> a.droppedMessageCount(CoherenceDrop.FORGED_SENDER), "a drops d's requests");

        assertEquals(42, c.getLong(address), "c's copy is neither replaced nor invalidated by d");
        final long requests = c.requestsSent();
        assertEquals(42, c.getLong(address));
        assertEquals(requests, c.requestsSent(), "c still holds its copy: the forged invalidation did nothing");
        assertStillServing(address);
    }

    @Test
    void shouldDropUnsolicitedGrantsRefusalsAndAcknowledgements()
    {
        startMembers(false);
        final long homedAtD = d.malloc(64);
        d.putLong(homedAtD, 6);
        assertEquals(6, c.getLong(homedAtD));
        d.putLong(homedAtD, 7); // c's copy is invalidated; its record of the page stays, with no request in flight
        final long homedAtA = a.malloc(64);
        b.putLong(homedAtA, 8);

        // d is the home of homedAtD, so its grant passes the sender checks; but c asked for nothing.
        send(3, 2, forgedGrant(3, homedAtD, 666));
        send(3, 1, CoherenceMessage.nack(message, 3, pageOf(homedAtD), 0, "refused, though nobody asked"));
        send(3, 1, CoherenceMessage.header(message, CoherenceMessage.FREE_ACK, 3, 0, homedAtD));
        // Replies a (the home of homedAtA) did not ask d for.
        send(3, 0, CoherenceMessage.header(message, CoherenceMessage.INVALIDATE_ACK, 3, pageOf(homedAtA), 1));
        send(3, 0, CoherenceMessage.fetchReply(message, 3, pageOf(homedAtA), 1, pageBytes(666)));
        // A grant of a's page from d, which is not its home.
        send(3, 2, forgedGrant(3, homedAtA, 666));
        awaitAtLeast(2, () -> c.droppedMessageCount(CoherenceDrop.UNSOLICITED), "c drops both grants");
        awaitAtLeast(2, () -> b.droppedMessageCount(CoherenceDrop.UNSOLICITED), "b drops the refusal and the ack");
        awaitAtLeast(2, () -> a.droppedMessageCount(CoherenceDrop.UNSOLICITED), "a drops both replies");

        assertEquals(7, c.getLong(homedAtD), "c misses and reads d's value, not the unsolicited grant's");
        assertEquals(7, b.getLong(homedAtD), "b's later request is not answered by the stale refusal");
        assertEquals(8, c.getLong(homedAtA), "the home's master copy was not replaced by the unsolicited data");
        assertStillServing(homedAtA);
    }

    @Test
    void shouldDropMessagesOutsideTheHeap()
    {
        startMembers(false);
        send(3, 0, CoherenceMessage.header(message, CoherenceMessage.READ, 3, -1, 0));
        send(3, 0, CoherenceMessage.header(message, CoherenceMessage.WRITE, 3, Long.MAX_VALUE >>> 12, 0));
        send(3, 0, CoherenceMessage.header(message, CoherenceMessage.FREE, 3, 0, -8));
        final long address = a.malloc(64);
        // A grant whose allocation does not hold the page it grants.
        send(3, 2, CoherenceMessage.data(message, 3, pageOf(address), false, address + PAGE, 64, new byte[PAGE]));
        awaitAtLeast(3, () -> a.droppedMessageCount(CoherenceDrop.OUT_OF_RANGE), "a drops the out-of-range pages");
        awaitAtLeast(1, () -> c.droppedMessageCount(CoherenceDrop.OUT_OF_RANGE), "c drops the inconsistent grant");
        assertStillServing(address);
    }

    @Test
    void shouldRefuseTheFramesOfAMemberThatLeft()
    {
        startMembers(false);
        final long address = a.malloc(64);
        a.memberLeft(3);
        final long deadline = System.nanoTime() + WAIT_NS;
        while (a.isConnectedTo(3)) // a's conductor has run the departure, its session with it
        {
            if (System.nanoTime() > deadline)
            {
                fail("a did not drop its link to d in 20 s");
            }
            Thread.yield();
        }
        final long refusedBefore = a.refusedFrameCount();
        send(3, 0, CoherenceMessage.header(message, CoherenceMessage.READ, 3, pageOf(address), 0));
        awaitAtLeast(refusedBefore + 1, a::refusedFrameCount, "a refuses the departed member's frame");
        assertStillServing(address);
    }

    /** After any forgery: the honest members read each other's writes, on pages homed at a and at c. */
    private void assertStillServing(final long homedAtA)
    {
        b.putLong(homedAtA + 8, 1001);
        assertEquals(1001, c.getLong(homedAtA + 8));
        c.putLong(homedAtA + 8, 1002);
        assertEquals(1002, a.getLong(homedAtA + 8));
        assertEquals(1002, b.getLong(homedAtA + 8));
        final long homedAtC = c.malloc(64);
        a.putLong(homedAtC, 2001);
        assertEquals(2001, b.getLong(homedAtC));
        b.free(homedAtC);
    }

    /** A DATA granting a shared copy of {@code address}'s page, from {@code claimedHome}, with {@code value} in it. */
    private int forgedGrant(final int claimedHome, final long address, final long value)
    {
        final byte[] bytes = pageBytes(value);
        new UnsafeBuffer(bytes).putLong((int)(address & (PAGE - 1)), value);
        return CoherenceMessage.data(message, claimedHome, pageOf(address), false, address, 64, bytes);
    }

    /** @return a page's bytes with {@code value} in its first long. */
    private static byte[] pageBytes(final long value)
    {
        final byte[] bytes = new byte[PAGE];
        new UnsafeBuffer(bytes).putLong(0, value);
        return bytes;
    }

    private static long pageOf(final long address)
    {
        return address >>> Integer.numberOfTrailingZeros(PAGE);
    }

    /** Sends through member {@code from}'s own links: sealed under its real keys, whatever the message says. */
    private void send(final int from, final int to, final int length)
    {
        cluster.links(from).send(to, message, length);
    }

    /** @return the first frame on the tapped stream as long as a whole page: the grant, sealed as it travelled. */
    private static byte[] captureGrant(final Subscription tap)
    {
        final byte[][] grant = new byte[1][];
        final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) ->
        {
            if (null == grant[0] && length > PAGE)
            {
                grant[0] = new byte[length];
                buffer.getBytes(offset, grant[0]);
            }
        });
        final long deadline = System.nanoTime() + WAIT_NS;
        while (null == grant[0])
        {
            if (System.nanoTime() > deadline)
            {
                fail("no grant seen on the tapped stream in 20 s");
            }
            if (0 == tap.poll(assembler, 16))
            {
                Thread.yield();
            }
        }
        assertNotNull(grant[0]);
        assertFalse(Handshake.isAbsent(grant[0]));
        return grant[0];
    }

    private static void awaitAtLeast(final long expected, final LongSupplier count, final String what)
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (count.getAsLong() < expected)
        {
            if (System.nanoTime() > deadline)
            {
                fail(what + ": count " + count.getAsLong() + ", expected at least " + expected + " within 20 s");
            }
            Thread.yield();
        }
    }
}
