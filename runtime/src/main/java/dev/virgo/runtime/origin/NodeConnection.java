package dev.virgo.runtime.origin;

import dev.virgo.runtime.transport.Outbox;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The origin's view of one node: where to send to it, whether it answered HELLO, what it last reported, and how
 * many of this origin's threads it runs now (what placement looks at). Mutated by the origin conductor; the
 * counters are read by application threads choosing a node.
 */
final class NodeConnection
{
    private final String name;
    private final Outbox outbox;
    private final Process process;
    private volatile boolean ready;
    private volatile boolean lost;
    private volatile String description;
    private volatile long lastHeardNs;
    private volatile long lastHelloNs;
    private volatile String hostName;
    private volatile int availableProcessors;
    /** The version of the origin's system properties this node last got; see OriginProperties. */
    private volatile long propertiesVersion;
    private final AtomicInteger threadsInFlight = new AtomicInteger();
    private final ServedClasses served = new ServedClasses();
    /** The nonce of the HELLOs sent now (conductor only); a WELCOME must prove it. Null without a secret. */
    byte[] helloNonce;
    long helloTimestampMs;
    /** True once a refused WELCOME was reported, so that the retried handshake does not flood the log. */
    boolean refusalReported;

    NodeConnection(final String name, final Outbox outbox, final Process process)
    {
        this.name = name;
        this.outbox = outbox;
        this.process = process;
        this.description = name;
    }

    String name()
    {
        return name;
    }

    /** How the node described itself in WELCOME, e.g. {@code node-1 (pid 4242, 2 cpus)}. */
    String description()
    {
        return description;
    }

    Outbox outbox()
    {
        return outbox;
    }

    Process process()
    {
        return process;
    }

    /** The class files the origin serves this node: those of the threads it moved here. */
    ServedClasses served()
    {
        return served;
    }

    boolean isReady()
    {
        return ready && !lost;
    }

    boolean isLost()
    {
        return lost;
    }

    void onWelcome(final String nodeName, final long pid, final int processors, final String host, final long nowNs)
    {
        description = nodeName + " (pid " + pid + ", " + processors + " cpus)";
        hostName = host;
        availableProcessors = processors;
        lastHeardNs = nowNs;
        ready = true;
    }

    void onHeard(final long nowNs)
    {
        lastHeardNs = nowNs;
    }

    long lastHeardNs()
    {
        return lastHeardNs;
    }

    long lastHelloNs()
    {
        return lastHelloNs;
    }

    void helloSent(final long nowNs)
    {
        lastHelloNs = nowNs;
    }

    void markLost()
    {
        lost = true;
    }

    /** The machine the node runs on, as it said in WELCOME; null until then. */
    String hostName()
    {
        return hostName;
    }

    /** The processors the node's JVM has, as it said in WELCOME. */
    int availableProcessors()
    {
        return availableProcessors;
    }

    long propertiesVersion()
    {
        return propertiesVersion;
    }

    void propertiesSent(final long version)
    {
        propertiesVersion = version;
    }

    int threadsInFlight()
    {
        return threadsInFlight.get();
    }

    void threadStarted()
    {
        threadsInFlight.incrementAndGet();
    }

    void threadEnded()
    {
        threadsInFlight.decrementAndGet();
    }

    @Override
    public String toString()
    {
        return description;
    }
}
