package dev.virgo.runtime.origin;

import dev.virgo.runtime.machine.MachineProperties;
import dev.virgo.runtime.wire.PropertiesEncoder;
import org.agrona.ExpandableArrayBuffer;

import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Keeps nodes' copies of the origin's system properties current, so that a moved thread sees them as of its
 * {@code start()} while a START stays small: before each START, the properties that travel (see
 * {@link MachineProperties}) are compared with those last sent, and a node gets a PROPERTIES message only when it has
 * not had the current ones. The node gives every thread it starts afterwards the last PROPERTIES it received, and
 * the PROPERTIES goes out on the node's publication before the START that needs it, so the thread sees every change
 * made before its {@code start()}.
 *
 * <p>The comparison reads each property once per {@code start()} (a few microseconds for a hundred properties);
 * it compares values, never hashes, so no change can go unseen.
 */
final class OriginProperties
{
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final long originId;
    private Map<String, String> current = Map.of();
    private long version;
    private byte[] encoded;
    private int encodedLength;

    OriginProperties(final long originId)
    {
        this.originId = originId;
    }

    /**
     * On the starting thread, before its START: sends the current properties to the node unless it has them.
     *
     * @throws dev.virgo.api.VirgoException when the node cannot be sent them (the thread then stays here).
     */
    void sendIfChanged(final NodeConnection node)
    {
        final byte[] message;
        final int length;
        final long versionNow;
        synchronized (this)
        {
            refresh(System.getProperties());
            if (node.propertiesVersion() == version)
            {
                return;
            }
            message = encoded;
            length = encodedLength;
            versionNow = version;
        }
        synchronized (node)
        {
            // Under the node's lock, so that a START of another thread that finds the version sent cannot overtake it.
            if (node.propertiesVersion() != versionNow)
            {
                node.outbox().send(new org.agrona.concurrent.UnsafeBuffer(message), 0, length, SEND_TIMEOUT_NS);
                node.propertiesSent(versionNow);
            }
        }
    }

    private void refresh(final Properties live)
    {
        if (encoded != null && unchanged(live))
        {
            return;
        }
        current = MachineProperties.travelling(live);
        version++;
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        final PropertiesEncoder encoder = new PropertiesEncoder();
        encodedLength = encoder.wrap(buffer, 0).originId(originId).version(version).properties(current)
            .encodedLength();
        encoded = new byte[encodedLength];
        buffer.getBytes(0, encoded);
    }

    /** Every travelling property has the value last sent, and there is none more or less. */
    private boolean unchanged(final Properties live)
    {
        int travelling = 0;
        for (final String key : live.stringPropertyNames())
        {
            if (MachineProperties.isMachineKey(key))
            {
                continue;
            }
            final Object value = live.get(key);
            if (value instanceof String)
            {
                travelling++;
                if (!Objects.equals(value, current.get(key)))
                {
                    return false;
                }
            }
        }
        return travelling == current.size();
    }
}
