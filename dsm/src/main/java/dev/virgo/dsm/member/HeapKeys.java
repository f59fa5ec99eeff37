package dev.virgo.dsm.member;

import dev.virgo.runtime.security.Handshake;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The keys of one heap's links: a fresh random {@link Handshake#KEY_BYTES}-byte key per ordered pair of members,
 * key(i to j) sealing what member i sends member j. Made once by whoever decides the membership (the origin), which
 * hands each member only the keys of its own links. Fresh per heap, so a frame captured from an earlier heap does not
 * open in this one, and per direction, so a member cannot pass its own frames off as its peer's.
 *
 * <p>Keys are random rather than derived from the cluster secret: a heap without a secret (on loopback) still gets
 * keys nobody outside its members knows, as long as the channel they are handed out on is not read by others.
 */
public final class HeapKeys
{
    private final byte[][] keys = new byte[DsmMember.MAX_MEMBERS * DsmMember.MAX_MEMBERS][];

    private HeapKeys()
    {
    }

    /**
     * @param members the heap's member ids, each in 0..{@link DsmMember#MAX_MEMBERS}-1.
     * @return a key for each ordered pair of distinct members.
     */
    public static HeapKeys generate(final Iterable<Integer> members)
    {
        final SecureRandom random = new SecureRandom();
        final HeapKeys generated = new HeapKeys();
        for (final int from : members)
        {
            for (final int to : members)
            {
                if (from != to)
                {
                    final byte[] key = new byte[Handshake.KEY_BYTES];
                    do
                    {
                        random.nextBytes(key);
                    }
                    while (Handshake.isAbsent(key)); // all zeros means "no key" on the wire
                    generated.keys[index(from, to)] = key;
                }
            }
        }
        return generated;
    }

    /** @return key(from to to), a copy; throws if the pair was not generated. */
    public byte[] key(final int from, final int to)
    {
        final byte[] key = keys[index(from, to)];
        if (null == key)
        {
            throw new IllegalArgumentException("no heap key from member " + from + " to member " + to);
        }
        return key.clone();
    }

    /** Overwrites every key, once they have been handed out. */
    public void erase()
    {
        for (final byte[] key : keys)
        {
            if (null != key)
            {
                Arrays.fill(key, (byte)0);
            }
        }
    }

    private static int index(final int from, final int to)
    {
        if (from < 0 || from >= DsmMember.MAX_MEMBERS || to < 0 || to >= DsmMember.MAX_MEMBERS)
        {
            throw new IllegalArgumentException("member ids " + from + ", " + to + ": 0.." +
                (DsmMember.MAX_MEMBERS - 1) + " expected");
        }
        return from * DsmMember.MAX_MEMBERS + to;
    }
}
