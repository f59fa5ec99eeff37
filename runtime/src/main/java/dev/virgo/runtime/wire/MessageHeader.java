package dev.virgo.runtime.wire;

import java.nio.ByteOrder;

/**
 * The header every Virgo message starts with. Little-endian throughout.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |         type (uint16)         |        version (uint16)       |  0
 *  +-------------------------------+-------------------------------+
 *  |                         flags (int32)                         |  4
 *  +---------------------------------------------------------------+
 *  |                        originId (int64)                       |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        threadId (int64)                       | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              type-specific fixed fields ...                   | 24
 *  +---------------------------------------------------------------+
 *  |   variable fields, in order: int32 length, then that many     |
 *  |   bytes (UTF-8 for strings); no padding, no trailing bytes    |
 *  +---------------------------------------------------------------+
 * </pre>
 * {@code originId} names the origin (application JVM) a message belongs to and {@code threadId} the moved thread
 * (0 when the message is about no thread). {@code flags} is reserved and written as 0. A message's length is the
 * length of the transport message that carries it: the decoders require it to match the encoded fields exactly.
 */
public final class MessageHeader
{
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /**
     * The only version this code reads and writes; a different one is rejected, not guessed at. 2: CLASS_REQUEST
     * names the class loader, CLASS_REPLY carries a status and a reason.
     */
    public static final int CURRENT_VERSION = 3;

    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int FLAGS_OFFSET = 4;
    public static final int ORIGIN_ID_OFFSET = 8;
    public static final int THREAD_ID_OFFSET = 16;
    public static final int LENGTH = 24;

    /** Size of the length prefix of a string or bytes field. */
    public static final int VAR_LENGTH_PREFIX = 4;

    private MessageHeader()
    {
    }
}
