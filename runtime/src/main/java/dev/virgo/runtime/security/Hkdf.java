package dev.virgo.runtime.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * HKDF over HMAC-SHA256 (RFC 5869): extract a pseudo-random key from input keying material and a salt, then expand
 * it into as many bytes as needed, bound to an {@code info} label.
 */
public final class Hkdf
{
    public static final String HMAC_SHA256 = "HmacSHA256";
    public static final int HASH_BYTES = 32;

    private Hkdf()
    {
    }

    /**
     * @param salt optional; null or empty means a string of {@link #HASH_BYTES} zeros, as the RFC says.
     * @param ikm  input keying material.
     * @return the pseudo-random key, {@link #HASH_BYTES} long.
     */
    public static byte[] extract(final byte[] salt, final byte[] ikm)
    {
        final byte[] key = null == salt || 0 == salt.length ? new byte[HASH_BYTES] : salt;
        final Mac mac = hmac(key);
        return mac.doFinal(ikm);
    }

    /**
     * @param prk          a pseudo-random key of at least {@link #HASH_BYTES}.
     * @param info         context and application label; may be empty.
     * @param lengthBytes  output length, at most 255 * {@link #HASH_BYTES}.
     * @return the output keying material.
     */
    public static byte[] expand(final byte[] prk, final byte[] info, final int lengthBytes)
    {
        if (lengthBytes < 0 || lengthBytes > 255 * HASH_BYTES)
        {
            throw new IllegalArgumentException("lengthBytes=" + lengthBytes + ": must be 0.." + 255 * HASH_BYTES);
        }
        final Mac mac = hmac(prk);
        final byte[] okm = new byte[lengthBytes];
        byte[] previous = new byte[0];
        int written = 0;
        for (int counter = 1; written < lengthBytes; counter++)
        {
            mac.update(previous);
            mac.update(info);
            mac.update((byte)counter);
            previous = mac.doFinal();
            final int n = Math.min(HASH_BYTES, lengthBytes - written);
            System.arraycopy(previous, 0, okm, written, n);
            written += n;
        }
        return okm;
    }

    static Mac hmac(final byte[] key)
    {
        try
        {
            final Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
            return mac;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is required of every JDK: " + ex, ex);
        }
    }
}
