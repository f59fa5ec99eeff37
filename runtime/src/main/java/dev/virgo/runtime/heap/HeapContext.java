package dev.virgo.runtime.heap;

import dev.virgo.runtime.transport.AeronTransport;

/**
 * What a heap member is made with: where it receives, and the heap's settings (the origin's, sent to nodes in the
 * heap's join request so that every member agrees).
 *
 * @param transport     the JVM's Aeron transport; null at an origin that has no nodes (the heap is then this JVM only).
 * @param inboxChannel  the channel this member receives coherence messages on, e.g. {@code aeron:ipc} or
 *                      {@code aeron:udp?endpoint=127.0.0.1:0} (an ephemeral port, resolved once open).
 * @param inboxStreamId the stream it receives on, unique on that channel among this transport's heap members.
 * <p>At a node, {@code pageSizeBytes}, {@code missTimeoutMs} and {@code maxCachedPages} are 0: the origin's join
 * request brings them.
 *
 * @param pageSizeBytes the heap's page size, a power of two.
 * @param missTimeoutMs how long an access waits for a page's home before it fails naming the page and member.
 * @param idle          the member conductor's idle strategy name.
 * @param maxCachedPages the bound on this member's copies of pages.
 */
public record HeapContext(
    AeronTransport transport,
    String inboxChannel,
    int inboxStreamId,
    int pageSizeBytes,
    long missTimeoutMs,
    String idle,
    int maxCachedPages)
{
}
