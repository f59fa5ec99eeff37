package dev.virgo.dsm.member;

import dev.virgo.runtime.transport.AeronTransport;
import dev.virgo.runtime.transport.TransportSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Members of one shared heap in this JVM, each with its own inbox, links and page cache, talking the real protocol
 * over Aeron IPC through one embedded driver, every link keyed as the origin keys them. (Members in separate JVMs are
 * the integration tests' job.)
 */
public final class Members implements AutoCloseable
{
    static final String CHANNEL = "aeron:ipc";
    static final int FIRST_STREAM = 300;

    public final DsmMember[] members;
    private final MemberLinks[] links;
    private final AeronTransport transport;
    private final HeapKeys keys;

    public Members(final int count, final int pageSizeBytes)
    {
        this(count, pageSizeBytes, DsmMember.MAX_CACHED_PAGES_DEFAULT, false);
    }

    public Members(final int count, final int pageSizeBytes, final int maxCachedPages)
    {
        this(count, pageSizeBytes, maxCachedPages, false);
    }

    /** @param encrypt whether the links encrypt (AES-GCM) or only MAC (HMAC-SHA256), as IPC does by default. */
    public Members(final int count, final int pageSizeBytes, final int maxCachedPages, final boolean encrypt)
    {
        transport = AeronTransport.launchEmbedded(new TransportSettings()
            .aeronDir("/dev/shm/virgo-dsm-test-" + UUID.randomUUID()));
        final List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            ids.add(i);
        }
        keys = HeapKeys.generate(ids);
        links = new MemberLinks[count];
        members = new DsmMember[count];
        for (int i = 0; i < count; i++)
        {
            final List<PeerLink> peers = new ArrayList<>();
            for (int peer = 0; peer < count; peer++)
            {
                if (peer != i)
                {
                    peers.add(new PeerLink(peer, CHANNEL, FIRST_STREAM + peer, keys.key(i, peer), keys.key(peer, i),
                        encrypt, encrypt));
                }
            }
            links[i] = new MemberLinks(i, transport, CHANNEL, FIRST_STREAM + i, peers);
            members[i] = new DsmMember(links[i], pageSizeBytes, 5_000, "backoff", maxCachedPages);
        }
        final long deadline = System.nanoTime() + 10_000_000_000L;
        for (final DsmMember member : members)
        {
            for (int other = 0; other < count; other++)
            {
                while (!member.isConnectedTo(other))
                {
                    if (System.nanoTime() > deadline)
                    {
                        fail("member " + member.memberId() + " not connected to " + other + " in 10 s");
                    }
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** The links of member {@code i}: what a test sends through to speak as that member, under its real keys. */
    MemberLinks links(final int i)
    {
        return links[i];
    }

    /** The heap's keys, kept (the origin erases its own once handed out) so a test can seal as a member would. */
    HeapKeys keys()
    {
        return keys;
    }

    AeronTransport transport()
    {
        return transport;
    }

    @Override
    public void close()
    {
        for (final DsmMember member : members)
        {
            member.close();
        }
        for (final MemberLinks link : links)
        {
            link.close();
        }
        transport.close();
    }
}
