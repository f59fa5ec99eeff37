package dev.virgo.it.fuzz;

import dev.virgo.dsm.member.CoherenceDrop;
import dev.virgo.dsm.member.DsmMember;
import dev.virgo.dsm.member.MemberLinks;
import dev.virgo.dsm.member.PeerLink;
import dev.virgo.runtime.transport.AeronTransport;
import dev.virgo.runtime.transport.TransportSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The shared-heap member under fuzz, in a JVM of its own: member {@link #SELF} of a heap whose other members are the
 * fuzzer (member 0, a keyed peer that misbehaves) and the test's checker (member 2, an honest one). It receives on an
 * ephemeral UDP port and works as a node's member does, over the runtime's transport with an embedded driver.
 * <p>
 * Arguments: {@code peersFile stopFile}. It prints {@code INBOX channel}, waits for the peers file (lines of
 * {@code member channel stream sendKeyHex receiveKeyHex}), links them, allocates two regions and fills them, prints
 * {@code ALLOC fuzzRegion checkRegion} (hex addresses), and serves until the stop file exists; then it checks the
 * check region still holds what it wrote, prints its drop and refusal counts, and exits 0.
 */
public final class HeapMemberMain
{
    public static final int SELF = 1;
    public static final int PAGE_BYTES = 4096;
    public static final int STREAM = 1000;
    public static final int FUZZ_PAGES = 64;
    public static final int CHECK_PAGES = 16;
    private static final long WAIT_NS = TimeUnit.MINUTES.toNanos(20);

    private HeapMemberMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path peersFile = Path.of(args[0]);
        final Path stopFile = Path.of(args[1]);
        final AeronTransport transport = AeronTransport.launchEmbedded(new TransportSettings()
            .aeronDir("/dev/shm/virgo-fuzz-member-" + ProcessHandle.current().pid()));
        final MemberLinks links = new MemberLinks(SELF, transport, "aeron:udp?endpoint=127.0.0.1:0", STREAM);
        System.out.println("INBOX " + links.inboxChannel());
        awaitFile(peersFile);
        final List<PeerLink> peers = new ArrayList<>();
        for (final String line : Files.readAllLines(peersFile))
        {
            final String[] words = line.trim().split(" +");
            peers.add(new PeerLink(Integer.parseInt(words[0]), words[1], Integer.parseInt(words[2]),
                HexFormat.of().parseHex(words[3]), HexFormat.of().parseHex(words[4]), true, true));
        }
        links.connect(peers);
        final DsmMember member = new DsmMember(links, PAGE_BYTES, 5_000, "backoff");
        final long fuzzRegion = member.malloc((long)FUZZ_PAGES * PAGE_BYTES);
        final long checkRegion = member.malloc((long)CHECK_PAGES * PAGE_BYTES);
        for (int i = 0; i < FUZZ_PAGES; i++)
        {
            member.putLong(fuzzRegion + (long)i * PAGE_BYTES, i);
        }
        for (int i = 0; i < CHECK_PAGES; i++)
        {
            member.putLong(checkRegion + (long)i * PAGE_BYTES, checkValue(i));
        }
        System.out.println("ALLOC " + Long.toHexString(fuzzRegion) + " " + Long.toHexString(checkRegion));

        awaitFile(stopFile);
        boolean right = true;
        for (int i = 0; i < CHECK_PAGES; i++)
        {
            right &= member.getLong(checkRegion + (long)i * PAGE_BYTES) == checkValue(i);
        }
        System.out.println(right ? "CHECK member-kept-its-pages ok" : "FAIL member-kept-its-pages: a value changed");
        final StringBuilder drops = new StringBuilder("DROPS");
        for (final CoherenceDrop why : CoherenceDrop.values())
        {
            drops.append(' ').append(why).append('=').append(member.droppedMessageCount(why));
        }
        System.out.println(drops + " REFUSED_FRAMES=" + member.refusedFrameCount());
        member.close();
        links.close();
        transport.close();
        System.out.println("DONE");
    }

    /** What page {@code i} of the check region holds: the checker reads it back over the network. */
    public static long checkValue(final int i)
    {
        return 0xC0FFEE00L + i;
    }

    private static void awaitFile(final Path file)
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (!Files.exists(file))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("no " + file + " within 20 minutes");
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }
}
