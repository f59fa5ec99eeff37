package dev.virgo.dsm.member;

import dev.virgo.runtime.transport.AeronTransport;
import dev.virgo.runtime.transport.TransportSettings;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Members of one shared heap in this JVM, each with its own inbox, links and page cache, talking the real protocol
 * over Aeron IPC through one embedded driver. (Members in separate JVMs are the integration tests' job.)
 */
public final class Members implements AutoCloseable
{
    private static final int FIRST_STREAM = 300;

    public final DsmMember[] members;
    private final MemberLinks[] links;
    private final AeronTransport transport;

    public Members(final int count, final int pageSizeBytes)
    {
        this(count, pageSizeBytes, DsmMember.MAX_CACHED_PAGES_DEFAULT);
    }

    public Members(final int count, final int pageSizeBytes, final int maxCachedPages)
    {
        transport = AeronTransport.launchEmbedded(new TransportSettings()
            .aeronDir("/dev/shm/virgo-dsm-test-" + UUID.randomUUID()));
        final Map<Integer, String> channels = new HashMap<>();
        final Map<Integer, Integer> streams = new HashMap<>();
        for (int i = 0; i < count; i++)
        {
            channels.put(i, "aeron:ipc");
            streams.put(i, FIRST_STREAM + i);
        }
        links = new MemberLinks[count];
        members = new DsmMember[count];
        for (int i = 0; i < count; i++)
        {
            links[i] = new MemberLinks(i, transport, channels, streams);
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
