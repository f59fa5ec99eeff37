package dev.virgo.dsm.protocol;

import dev.virgo.runtime.wire.MalformedMessageException;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoherenceMessageTest
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
    private final CoherenceMessage message = new CoherenceMessage();

    @Test
    void shouldRoundTripAGrant()
    {
        final byte[] page = new byte[64];
        page[63] = 7;
        final int length = CoherenceMessage.data(buffer, 2, 0x1234L, true, 0x1000L, 24, page);
        message.wrap(buffer, 0, length);
        assertEquals(CoherenceMessage.DATA, message.type());
        assertEquals(2, message.from());
        assertEquals(0x1234L, message.page());
        assertTrue(message.exclusive());
        assertEquals(0x1000L, message.allocStart());
        assertEquals(24, message.allocLength());
        final byte[] read = new byte[64];
        message.getPageBytes(read);
        assertArrayEquals(page, read);
    }

    @Test
    void shouldRoundTripARefusalWithItsReason()
    {
        final int length = CoherenceMessage.nack(buffer, 1, 9, 0xABCL, "not allocated");
        message.wrap(buffer, 0, length);
        assertEquals("not allocated", message.reason());
        assertEquals(0xABCL, message.correlation());
    }

    @Test
    void shouldRejectTruncatedAndOverlongAndUnknownMessages()
    {
        final int length = CoherenceMessage.fetchReply(buffer, 1, 5, 77, new byte[64]);
        for (int cut = 0; cut < length; cut++)
        {
            final int truncated = cut;
            assertThrows(MalformedMessageException.class, () -> message.wrap(buffer, 0, truncated), "cut " + cut);
        }
        buffer.putInt(CoherenceMessage.HEADER_LENGTH, Integer.MAX_VALUE, CoherenceMessage.ORDER);
        assertThrows(MalformedMessageException.class, () -> message.wrap(buffer, 0, length));
        CoherenceMessage.header(buffer, 999, 1, 1, 0);
        final MalformedMessageException unknown = assertThrows(MalformedMessageException.class,
            () -> message.wrap(buffer, 0, CoherenceMessage.HEADER_LENGTH));
        assertTrue(unknown.getMessage().contains("unknown type 999"), unknown.getMessage());
    }

    @Test
    void shouldOnlyEverThrowMalformedMessageOnGarbage()
    {
        final Random random = new Random(42);
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] garbage = new byte[random.nextInt(80)];
            random.nextBytes(garbage);
            if (garbage.length >= 4)
            {
                garbage[0] = (byte)(1 + random.nextInt(10));
                garbage[1] = 0;
                garbage[2] = 1;
                garbage[3] = 0;
            }
            try
            {
                message.wrap(new UnsafeBuffer(garbage), 0, garbage.length);
            }
            catch (final MalformedMessageException expected)
            {
                // the only acceptable failure
            }
        }
    }

    @Test
    void shouldCutALongReasonWhenSentAndRefuseOneWhenReceived()
    {
        final String longReason = "x".repeat(3 * CoherenceMessage.MAX_REASON_BYTES);
        int length = CoherenceMessage.nack(buffer, 1, 5, 0, longReason);
        message.wrap(buffer, 0, length);
        assertEquals(CoherenceMessage.MAX_REASON_BYTES, message.reason().length());

        length = CoherenceMessage.nack(buffer, 1, 5, 0, "short");
        final int forgedLength = CoherenceMessage.MAX_REASON_BYTES + 1;
        buffer.putInt(CoherenceMessage.HEADER_LENGTH, forgedLength, CoherenceMessage.ORDER);
        final int total = CoherenceMessage.HEADER_LENGTH + 4 + forgedLength;
        final MalformedMessageException tooLong =
            assertThrows(MalformedMessageException.class, () -> message.wrap(buffer, 0, total));
        assertTrue(tooLong.getMessage().contains("at most " + CoherenceMessage.MAX_REASON_BYTES), tooLong.getMessage());
        assertTrue(length < total);
    }

    @Test
    void shouldReportHowManyPageBytesAGrantAndAFetchReplyCarry()
    {
        message.wrap(buffer, 0, CoherenceMessage.data(buffer, 2, 9, false, 0x1000L, 24, new byte[64]));
        assertEquals(64, message.pageBytesLength());
        message.wrap(buffer, 0, CoherenceMessage.fetchReply(buffer, 2, 9, 4, new byte[128]));
        assertEquals(128, message.pageBytesLength());
    }
}
