/**
 * Aeron plumbing: an embedded or shared media driver ({@link dev.virgo.runtime.transport.AeronTransport}), one-way
 * message channels ({@link dev.virgo.runtime.transport.Outbox} to {@link dev.virgo.runtime.transport.Inbox}) and the
 * idle strategies that keep a small machine responsive.
 * <p>
 * Every Aeron message Virgo publishes carries a small transport frame so that messages larger than a publication
 * can take can be cut into chunks and put back together; the frame layout is documented on
 * {@link dev.virgo.runtime.transport.TransportFrame}. What is inside a message (the wire protocol) lives in
 * {@code dev.virgo.runtime.wire}; this package moves opaque bytes.
 */
package dev.virgo.runtime.transport;
