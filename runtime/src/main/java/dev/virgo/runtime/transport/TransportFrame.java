package dev.virgo.runtime.transport;

import java.nio.ByteOrder;

/**
 * The transport frame that wraps every Aeron message Virgo publishes. All fields are little-endian.
 * <p>
 * A message that fits in one Aeron message (frame included, at most the publication's {@code maxMessageLength}, an
 * eighth of the term length up to 16 MiB) goes as a WHOLE frame; Aeron may still fragment it by MTU, and the
 * receiver's {@code FragmentAssembler} puts it back together.
 * <pre>
 * WHOLE frame:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 frameType = 1 (WHOLE), int32                  |  0
 *  +---------------------------------------------------------------+
 *  |          sessionId, int32: 0 = plain, else protected          |  4
 *  +---------------------------------------------------------------+
 *  |                        message ...                            |  8
 * </pre>
 * A longer message is cut into CHUNK frames, each one Aeron message, sent in order by one thread on one publication
 * (so they arrive in order within that publication's session). The receiver keys reassembly by Aeron session id and
 * transfer id, so chunks of concurrent transfers may interleave. A transfer whose {@code totalLength} exceeds the
 * receiver's limit is dropped.
 * <pre>
 * CHUNK frame:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 frameType = 2 (CHUNK), int32                  |  0
 *  +---------------------------------------------------------------+
 *  |          sessionId, int32: 0 = plain, else protected          |  4
 *  +---------------------------------------------------------------+
 *  |                      transferId, int64                        |  8
 *  |         (random per Outbox in the high 32 bits, a counter in  |
 *  |          the low 32: unique across senders sharing a session) |
 *  +---------------------------------------------------------------+
 *  |          totalLength of the whole message, int32              | 16
 *  +---------------------------------------------------------------+
 *  |          chunkOffset of this chunk in the message, int32      | 20
 *  +---------------------------------------------------------------+
 *  |                        chunk bytes ...                        | 24
 * </pre>
 * Any other frame type, or a frame shorter than its header, is dropped and reported.
 * <p>
 * A frame whose {@code sessionId} is not 0 is protected under the keys of that session (the id is the receiver's,
 * given at the handshake, see {@code dev.virgo.runtime.security.Handshake}): its message or chunk bytes are
 * AES-GCM ciphertext, or plaintext when the session only authenticates, and a trailer follows them. Every frame,
 * each chunk included, is sealed on its own, so the trailer's sequence number counts frames, not messages:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |   WHOLE or CHUNK header as above, sessionId != 0              |
 *  +---------------------------------------------------------------+
 *  |   message or chunk bytes (ciphertext, or plaintext if MAC'd)  |
 *  +---------------------------------------------------------------+
 *  |   tag, 16 bytes (GCM tag, or HMAC-SHA256 cut to 16 bytes)     |
 *  +---------------------------------------------------------------+
 *  |   sequence, int64: strictly increasing per session direction  |
 *  +---------------------------------------------------------------+
 * </pre>
 * The tag covers the header and the sequence too. The receiver refuses, counts and reports a frame of an unknown
 * session, one whose sequence is not above the highest it accepted, or one whose tag fails; a chunk may only join a
 * transfer begun under the same session. Plain frames (sessionId 0) still arrive, marked as such, so that the
 * handshake can run and a conductor can refuse what should have been protected.
 */
public final class TransportFrame
{
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    public static final int FRAME_TYPE_WHOLE = 1;
    public static final int FRAME_TYPE_CHUNK = 2;

    public static final int FRAME_TYPE_OFFSET = 0;
    /** Was reserved; now the receiver's id of the protected session, 0 for a plain frame. */
    public static final int RESERVED_OFFSET = 4;
    public static final int SESSION_ID_OFFSET = RESERVED_OFFSET;
    public static final int WHOLE_HEADER_LENGTH = 8;

    public static final int TRANSFER_ID_OFFSET = 8;
    public static final int TOTAL_LENGTH_OFFSET = 16;
    public static final int CHUNK_OFFSET_OFFSET = 20;
    public static final int CHUNK_HEADER_LENGTH = 24;

    private TransportFrame()
    {
    }
}
