package dev.virgo.runtime.security;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The nonces of HELLOs accepted within the timestamp window: a HELLO whose nonce is here is a replay. An entry is
 * kept for the whole window (after that the HELLO's timestamp refuses it anyway), and at most {@code capacity}
 * entries are kept: when full, a new HELLO is refused rather than an entry forgotten early, so that only holders of
 * the secret, whose HELLOs alone are ever added, could fill it. Single-threaded.
 */
public final class NonceCache
{
    private final int capacity;
    private final long retainMs;
    private final Set<String> nonces = new HashSet<>();
    private final ArrayDeque<Entry> byAge = new ArrayDeque<>();

    /**
     * @param capacity most nonces kept.
     * @param retainMs how long each is kept: the whole timestamp window.
     */
    public NonceCache(final int capacity, final long retainMs)
    {
        this.capacity = capacity;
        this.retainMs = retainMs;
    }

    /**
     * @param nonce the HELLO's nonce.
     * @param nowMs the current time.
     * @return true when seen within the window, or when the cache is full (refuse either way).
     */
    public boolean isReplayOrFull(final byte[] nonce, final long nowMs)
    {
        expire(nowMs);
        return nonces.contains(key(nonce)) || nonces.size() >= capacity;
    }

    /** Records the nonce of an accepted HELLO. */
    public void add(final byte[] nonce, final long nowMs)
    {
        expire(nowMs);
        final String key = key(nonce);
        if (nonces.add(key))
        {
            byAge.addLast(new Entry(key, nowMs + retainMs));
        }
    }

    /** @return nonces held now. */
    public int size()
    {
        return nonces.size();
    }

    private void expire(final long nowMs)
    {
        while (!byAge.isEmpty() && byAge.peekFirst().expiresMs - nowMs <= 0)
        {
            nonces.remove(byAge.pollFirst().key);
        }
    }

    private static String key(final byte[] nonce)
    {
        return java.util.HexFormat.of().formatHex(nonce);
    }

    private record Entry(String key, long expiresMs)
    {
    }
}
