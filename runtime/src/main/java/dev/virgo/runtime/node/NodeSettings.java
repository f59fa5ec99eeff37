package dev.virgo.runtime.node;

import dev.virgo.runtime.security.ClusterSecret;

/** A node's settings, decided by {@link NodeCommand}. */
final class NodeSettings
{
    /** The stream a standalone node receives on; origins send to it (see OriginRuntime.NODE_STREAM_ID). */
    static final int NODE_STREAM_ID = 1;

    String name;
    /** Null for a standalone node, which runs its own media driver. */
    String aeronDir;
    String channel;
    int streamId;
    /** Where this node's shared-heap members receive: aeron:ipc, or this host with an ephemeral port per origin. */
    String heapChannel;
    /** 0 for a standalone node; otherwise the node exits when this process is gone. */
    long originPid;
    String idle = "backoff";
    long originTimeoutMs = 5_000;
    /**
     * Origins served at once. A session costs a publication and per-origin state, and without a secret any HELLO opens
     * one, until the origin has been silent for {@link #originTimeoutMs}: the bound keeps a flood of HELLOs (forged
     * origin ids) from growing them without limit. A HELLO past it is refused until a session ends.
     */
    int maxOrigins = 256;
    /** Null when origins need not prove a secret: only allowed on loopback. */
    ClusterSecret secret;
}
