package dev.virgo.runtime.origin;

import dev.virgo.runtime.wire.SyncDecoder;

/** One SYNC from a node, copied out of the transport's buffer for a shadow to perform. */
final class SyncRequest
{
    final long correlationId;
    final int shadow;
    final byte op;
    final int objectId;
    final long timeoutMs;
    final String className;
    final String fieldName;
    final byte[] state;

    SyncRequest(final SyncDecoder sync)
    {
        correlationId = sync.correlationId();
        shadow = sync.shadow();
        op = sync.op();
        objectId = sync.objectId();
        timeoutMs = sync.timeoutMs();
        className = sync.className();
        fieldName = sync.fieldName();
        state = sync.state();
    }
}
