package dev.virgo.runtime.security;

import javax.crypto.Cipher;
import java.security.GeneralSecurityException;

/**
 * Protects the frames one side sends in one session: numbers them, then encrypts and tags them (AES-GCM) or tags them
 * (HMAC-SHA256), in place. One instance per session and direction, its Cipher or Mac reused for every frame. Not
 * thread-safe: the sender holds it for the whole of seal-then-publish, so that frames reach the publication in the
 * order of their sequence numbers, which the receiver relies on. Layout: see {@link FrameProtection}.
 */
public final class FrameSealer extends FrameProtection
{
    private final int sessionId;
    private long lastSequence;

    /**
     * @param key       this direction's 32-byte key.
     * @param sessionId the id the receiver gave this session, written in every frame's header.
     * @param encrypt   AES-GCM when true, HMAC-SHA256 only when false.
     */
    public FrameSealer(final byte[] key, final int sessionId, final boolean encrypt)
    {
        super(key, encrypt);
        if (0 == sessionId)
        {
            throw new IllegalArgumentException("sessionId 0 marks an unprotected frame");
        }
        this.sessionId = sessionId;
    }

    /** @return the receiver's id of this session, for the frame header. */
    public int sessionId()
    {
        return sessionId;
    }

    /**
     * Seals one frame in place: {@code frame[offset, offset + headerLength)} is the header, already holding
     * {@link #sessionId()}; the body follows. The trailer is written after the body, so the array needs
     * {@link FrameProtection#TRAILER_LENGTH} bytes of room there.
     *
     * @return the length of the sealed frame: header + body + trailer.
     */
    public int seal(final byte[] frame, final int offset, final int headerLength, final int bodyLength)
    {
        final long sequence = ++lastSequence;
        final int bodyOffset = offset + headerLength;
        final int tagOffset = bodyOffset + bodyLength;
        try
        {
            if (encrypt)
            {
                cipher.init(Cipher.ENCRYPT_MODE, cipherKey, sequence(sequence));
                cipher.updateAAD(frame, offset, headerLength);
                cipher.updateAAD(sequenceBytes, 0, SEQUENCE_LENGTH);
                // In place: the ciphertext over the body, the tag right after it.
                cipher.doFinal(frame, bodyOffset, bodyLength, frame, bodyOffset);
            }
            else
            {
                sequence(sequence);
                computeMac(frame, offset, headerLength, bodyLength);
                System.arraycopy(macOut, 0, frame, tagOffset, TAG_LENGTH);
            }
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("session " + sessionId + ": cannot seal frame " + sequence + ": " + ex, ex);
        }
        System.arraycopy(sequenceBytes, 0, frame, tagOffset + TAG_LENGTH, SEQUENCE_LENGTH);
        return headerLength + bodyLength + TRAILER_LENGTH;
    }
}
