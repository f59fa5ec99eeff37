package dev.virgo.runtime.security;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * What {@link FrameSealer} and {@link FrameOpener} share: the trailer layout, the cipher or MAC of one direction of
 * one session, and the nonce built from the sequence number.
 * <p>
 * A protected frame is the transport header (its reserved int32 holding the receiver's session id), the body, then
 * this trailer, all little-endian:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |   header (WHOLE: 8 bytes, CHUNK: 24 bytes; see TransportFrame) |
 *  +---------------------------------------------------------------+
 *  |   body: AES-GCM ciphertext, or plaintext when only MAC'd       |
 *  +---------------------------------------------------------------+
 *  |   tag, 16 bytes: the GCM tag, or HMAC-SHA256 cut to 16 bytes   |
 *  +---------------------------------------------------------------+
 *  |   sequence, int64: 1, 2, 3 ... per direction of a session      |
 *  +---------------------------------------------------------------+
 * </pre>
 * The tag covers the header and the sequence (GCM: as additional data, with the sequence also in the 96-bit nonce,
 * {@code 0x00000000 || sequence}; MAC: {@code HMAC(key, header || sequence || body)}), so neither can be changed or
 * the frame moved to another session. Not thread-safe: the caller serialises use.
 */
public abstract class FrameProtection
{
    public static final int TAG_LENGTH = 16;
    public static final int SEQUENCE_LENGTH = 8;
    public static final int TRAILER_LENGTH = TAG_LENGTH + SEQUENCE_LENGTH;
    static final int GCM_TAG_BITS = TAG_LENGTH * 8;
    static final int GCM_NONCE_LENGTH = 12;
    static final String AES_GCM = "AES/GCM/NoPadding";

    protected final boolean encrypt;
    protected final Cipher cipher;
    protected final SecretKeySpec cipherKey;
    protected final Mac mac;
    protected final byte[] nonce = new byte[GCM_NONCE_LENGTH];
    protected final byte[] sequenceBytes = new byte[SEQUENCE_LENGTH];
    protected final byte[] macOut = new byte[Hkdf.HASH_BYTES];

    FrameProtection(final byte[] key, final boolean encrypt)
    {
        this.encrypt = encrypt;
        if (encrypt)
        {
            this.cipherKey = new SecretKeySpec(key, "AES");
            this.cipher = newCipher();
            this.mac = null;
        }
        else
        {
            this.cipherKey = null;
            this.cipher = null;
            this.mac = Hkdf.hmac(key);
        }
    }

    /** @return true when bodies are encrypted (AES-GCM), false when they are only authenticated (HMAC-SHA256). */
    public boolean encrypts()
    {
        return encrypt;
    }

    /** Sets the sequence into the nonce and into {@link #sequenceBytes}, little-endian. */
    protected final GCMParameterSpec sequence(final long sequence)
    {
        for (int i = 0; i < SEQUENCE_LENGTH; i++)
        {
            final byte b = (byte)(sequence >>> (8 * i));
            sequenceBytes[i] = b;
            nonce[4 + i] = b;
        }
        // The one allocation per frame that JCE leaves no way around: the spec (it copies the nonce).
        return encrypt ? new GCMParameterSpec(GCM_TAG_BITS, nonce) : null;
    }

    /** Computes HMAC(key, header || sequence || body) into {@link #macOut}. */
    protected final void computeMac(final byte[] frame, final int frameOffset, final int headerLength, final int bodyLength)
    {
        mac.update(frame, frameOffset, headerLength);
        mac.update(sequenceBytes, 0, SEQUENCE_LENGTH);
        mac.update(frame, frameOffset + headerLength, bodyLength);
        try
        {
            mac.doFinal(macOut, 0);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static long readSequence(final byte[] frame, final int offset)
    {
        long value = 0;
        for (int i = SEQUENCE_LENGTH - 1; i >= 0; i--)
        {
            value = (value << 8) | (frame[offset + i] & 0xFF);
        }
        return value;
    }

    private static Cipher newCipher()
    {
        try
        {
            return Cipher.getInstance(AES_GCM);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("AES/GCM/NoPadding is required of every JDK: " + ex, ex);
        }
    }
}
