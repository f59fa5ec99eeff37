package dev.virgo.it.fuzz;

import dev.virgo.runtime.wire.MessageType;
import io.aeron.CncFileDescriptor;
import io.aeron.status.LocalSocketAddressStatus;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a running origin receives, and what it accepts. An origin names its media driver's directory after its pid
 * and origin id ({@code /dev/shm/virgo-origin-PID-HEX}), and its inbox is the one UDP endpoint that driver receives
 * on: its port is read from the driver's counters (as AeronStat reads them), without joining the driver as a client.
 * <p>
 * The messages are every node-to-origin type (WELCOME, FINISHED, CLASS_REQUEST, OUTPUT, STATE_REPLY, HEARTBEAT,
 * ERROR, HEAP, EXIT, UNCAUGHT, SYNC) with the origin's real id, so they pass its first check and meet the next: a
 * fuzzer without the node's session keys must be refused there.
 */
public final class OriginTarget implements FrameFuzzer.MessageSource
{
    private static final MessageType[] ACCEPTED = {
        MessageType.WELCOME, MessageType.FINISHED, MessageType.CLASS_REQUEST, MessageType.OUTPUT,
        MessageType.STATE_REPLY, MessageType.HEARTBEAT, MessageType.ERROR, MessageType.HEAP, MessageType.EXIT,
        MessageType.UNCAUGHT, MessageType.SYNC};
    private static final MessageType[] ALL = MessageType.values();
    private static final Pattern ENDPOINT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");

    private final long originId;
    private final int port;
    private final WireMessages wire = new WireMessages();

    private OriginTarget(final long originId, final int port)
    {
        this.originId = originId;
        this.port = port;
    }

    /** Waits, at most {@code timeout}, until the origin of {@code pid} has its driver and its inbox bound. */
    public static OriginTarget find(final long pid, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String seen = "no /dev/shm/virgo-origin-" + pid + "-*";
        while (System.nanoTime() < deadline)
        {
            final File[] dirs = new File("/dev/shm").listFiles((d, name) -> name.startsWith("virgo-origin-" + pid + "-"));
            if (null != dirs && dirs.length == 1)
            {
                final File cnc = new File(dirs[0], CncFileDescriptor.CNC_FILE);
                final List<String> endpoints = cnc.exists() ? receiveEndpoints(cnc) : List.of();
                seen = dirs[0] + ": receive endpoints " + endpoints;
                if (endpoints.size() == 1)
                {
                    final Matcher matcher = ENDPOINT.matcher(endpoints.get(0));
                    if (matcher.find())
                    {
                        final String name = dirs[0].getName();
                        final long originId = Long.parseUnsignedLong(name.substring(name.lastIndexOf('-') + 1), 16);
                        return new OriginTarget(originId, Integer.parseInt(matcher.group(1)));
                    }
                }
            }
            LockSupport.parkNanos(50_000_000L);
        }
        throw new IllegalStateException("origin " + pid + ": inbox not found within " + timeout + " (" + seen + ")");
    }

    private static List<String> receiveEndpoints(final File cnc)
    {
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(cnc, "cnc");
        try
        {
            final DirectBuffer metaData = CncFileDescriptor.createMetaDataBuffer(mapped);
            final CountersReader counters = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(mapped, metaData),
                CncFileDescriptor.createCountersValuesBuffer(mapped, metaData));
            final List<String> endpoints = new ArrayList<>();
            counters.forEach((counterId, typeId, keyBuffer, label) ->
            {
                if (typeId == LocalSocketAddressStatus.LOCAL_SOCKET_ADDRESS_STATUS_TYPE_ID &&
                    label.startsWith("rcv-local-sockaddr"))
                {
                    endpoints.add(label);
                }
            });
            return endpoints;
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    public long originId()
    {
        return originId;
    }

    /** @return the channel the origin's inbox receives on. */
    public String channel()
    {
        return "aeron:udp?endpoint=127.0.0.1:" + port;
    }

    @Override
    public byte[] next(final SplittableRandom random)
    {
        final MessageType type = random.nextInt(10) == 0 ? ALL[random.nextInt(ALL.length)] :
            ACCEPTED[random.nextInt(ACCEPTED.length)];
        // Node index 0 (the real node's), small thread ids (those the origin hands out), or anything.
        final long threadId = random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(64);
        return wire.wellFormed(type, random.nextInt(16) == 0 ? random.nextLong() : originId, threadId, random);
    }
}
