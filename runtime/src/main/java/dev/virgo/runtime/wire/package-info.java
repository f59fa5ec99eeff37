/**
 * Virgo's wire protocol: fixed-layout control messages read and written in place by flyweights over Agrona buffers,
 * in the style of Aeron's {@code io.aeron.command} flyweights. Each message type has an {@code ...Encoder}
 * ({@code wrap(MutableDirectBuffer, offset)}, fluent setters, {@code encodedLength()}) and a {@code ...Decoder}
 * ({@code wrap(DirectBuffer, offset, length)}, getters). Decoders validate the whole message in {@code wrap}, so a
 * truncated or forged message raises a {@link dev.virgo.runtime.wire.MalformedMessageException} naming the type and
 * the fault and a getter never reads past the message. {@link dev.virgo.runtime.wire.MessageHeaderDecoder} tells
 * which decoder to use.
 * <p>
 * The common header is drawn on {@link dev.virgo.runtime.wire.MessageHeader}; each type's fields are listed on its
 * encoder. User object graphs travel as opaque {@code bytes} fields (Kryo output), readable without copying through
 * the decoders' {@code ...Offset()/...Length()} accessors.
 */
package dev.virgo.runtime.wire;
