package dev.virgo.runtime.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class FrameProtectionTest
{
    private static final int HEADER = 8;
    private static final byte[] KEY = new byte[32];

    static
    {
        Arrays.fill(KEY, (byte)7);
    }

    @ParameterizedTest(name = "encrypt={0}")
    @ValueSource(booleans = {true, false})
    void shouldOpenWhatWasSealedInOrder(final boolean encrypt)
    {
        final FrameSealer sealer = new FrameSealer(KEY, 42, encrypt);
        final FrameOpener opener = new FrameOpener(KEY, encrypt);
        for (int i = 0; i < 3; i++)
        {
            final byte[] frame = frame("message " + i);
            final int length = sealer.seal(frame, 0, HEADER, bodyLength(i));
            assertEquals(HEADER + bodyLength(i) + FrameProtection.TRAILER_LENGTH, length);
            assertEquals(encrypt, !new String(frame, HEADER, bodyLength(i), StandardCharsets.US_ASCII)
                .equals("message " + i), "body hidden only when encrypted");
            assertEquals(bodyLength(i), opener.open(frame, 0, HEADER, length));
            assertEquals("message " + i, new String(frame, HEADER, bodyLength(i), StandardCharsets.US_ASCII));
        }
        assertEquals(3, opener.highestSequence());
    }

    @ParameterizedTest(name = "encrypt={0}")
    @ValueSource(booleans = {true, false})
    void shouldRefuseAReplayedFrame(final boolean encrypt)
    {
        final FrameSealer sealer = new FrameSealer(KEY, 42, encrypt);
        final FrameOpener opener = new FrameOpener(KEY, encrypt);
        final byte[] first = frame("message 0");
        final int length = sealer.seal(first, 0, HEADER, bodyLength(0));
        final byte[] captured = first.clone();
        assertEquals(bodyLength(0), opener.open(first, 0, HEADER, length));

        assertEquals(-1, opener.open(captured, 0, HEADER, length));
        assertEquals(FrameOpener.Refusal.REPLAYED, opener.refusal());
    }

    @ParameterizedTest(name = "encrypt={0}")
    @ValueSource(booleans = {true, false})
    void shouldRefuseATamperedHeaderBodyTagOrSequence(final boolean encrypt)
    {
        final FrameSealer sealer = new FrameSealer(KEY, 42, encrypt);
        final byte[] sealed = frame("message 0");
        final int length = sealer.seal(sealed, 0, HEADER, bodyLength(0));
        for (final int position : new int[] {4, HEADER + 1, length - 10, length - 1})
        {
            final FrameOpener opener = new FrameOpener(KEY, encrypt);
            final byte[] tampered = sealed.clone();
            tampered[position] ^= 0x10;
            assertEquals(-1, opener.open(tampered, 0, HEADER, length), "byte " + position + " changed");
            assertEquals(FrameOpener.Refusal.BAD_TAG, opener.refusal());
        }
        final byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        assertEquals(-1, new FrameOpener(otherKey, encrypt).open(sealed.clone(), 0, HEADER, length), "another key");
        assertEquals(-1, new FrameOpener(KEY, encrypt).open(sealed.clone(), 0, HEADER, HEADER + 3), "too short");
        assertFalse(FrameOpener.Refusal.NONE == new FrameOpener(KEY, !encrypt).refusal() &&
            new FrameOpener(KEY, !encrypt).open(sealed.clone(), 0, HEADER, length) >= 0, "the other mode");
    }

    private static int bodyLength(final int i)
    {
        return ("message " + i).length();
    }

    private static byte[] frame(final String body)
    {
        final byte[] frame = new byte[HEADER + body.length() + FrameProtection.TRAILER_LENGTH];
        frame[0] = 1;
        frame[4] = 42;
        System.arraycopy(body.getBytes(StandardCharsets.US_ASCII), 0, frame, HEADER, body.length());
        return frame;
    }
}
