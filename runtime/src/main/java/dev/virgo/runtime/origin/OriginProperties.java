package dev.virgo.runtime.origin;

import dev.virgo.runtime.machine.MachineProperties;
import dev.virgo.runtime.wire.PropertiesEncoder;
import org.agrona.ExpandableArrayBuffer;

import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.concurrent.TimeUnit;

/**
 * Keeps nodes' copies of the origin's system properties current, so that a moved thread sees them as of its
 * {@code start()} while a START stays small: before each START, the properties that travel (see
 * {@link MachineProperties}) are compared with those last sent, and a node gets a PROPERTIES message only when it has
 * not had the current ones. The node gives every thread it starts afterwards the last PROPERTIES it received, and
 * the PROPERTIES goes out on the node's publication before the START that needs it, so the thread sees every change
 * made before its {@code start()}.
 *
 * <p>The comparison visits each property once per {@code start()} with a hash lookup and no allocation (about a
 * microsecond for a hundred properties); it compares values, never hashes of them, so no change can go unseen.
 */
final class OriginProperties
{
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final long originId;
    private Map<String, String> current = Map.of();
    /** The machine's keys among the properties last read, so they need not be classified again. */
    private Set<String> machineKeys = Set.of();
    private final BiConsumer<Object, Object> comparer = this::compare;
    private int seenTravelling;
    private boolean seenChange;
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
        machineKeys = new HashSet<>(MachineProperties.machineOnly(live).stringPropertyNames());
        version++;
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        final PropertiesEncoder encoder = new PropertiesEncoder();
        encodedLength = encoder.wrap(buffer, 0).originId(originId).version(version).properties(current)
            .encodedLength();
        encoded = new byte[encodedLength];
        buffer.getBytes(0, encoded);
    }

    /** Every travelling property has the value last sent, and there is none more or less. Under this lock. */
    private boolean unchanged(final Properties live)
    {
        seenTravelling = 0;
        seenChange = false;
        live.forEach(comparer);
        return !seenChange && seenTravelling == current.size();
    }

    private void compare(final Object key, final Object value)
    {
        final String sent = current.get(key);
        if (null != sent)
        {
            seenTravelling++;
            seenChange |= !sent.equals(value);
        }
        else if (key instanceof String && value instanceof String && !machineKeys.contains(key))
        {
            seenChange |= !MachineProperties.isMachineKey((String)key); // a key set since
        }
    }
}
