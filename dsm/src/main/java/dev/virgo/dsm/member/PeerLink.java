package dev.virgo.dsm.member;

import dev.virgo.runtime.security.Handshake;

import java.util.Arrays;

/**
 * Where one member receives, and the keys of the two directions between it and the member being linked: what
 * {@link MemberLinks#connect} needs per peer. Keys are {@link Handshake#KEY_BYTES} bytes, fresh per heap and per
 * ordered pair of members (see {@link HeapKeys}); a member's link to itself needs none.
 *
 * @param member         the peer's member id.
 * @param channel        the channel the peer receives on, resolved (a UDP endpoint's actual port).
 * @param streamId       the stream the peer receives on.
 * @param sendKey        key(self to peer): seals what this member sends it.
 * @param receiveKey     key(peer to self): opens what it sends this member.
 * @param encryptToPeer  whether frames to the peer are encrypted (AES-GCM), else only MAC'd; the peer opens with the
 *                       same rule, so both ends must be given the same value (the origin decides it for everyone).
 * @param encryptToSelf  whether frames from the peer to this member are encrypted.
 */
public record PeerLink(
    int member,
    String channel,
    int streamId,
    byte[] sendKey,
    byte[] receiveKey,
    boolean encryptToPeer,
    boolean encryptToSelf)
{
    public PeerLink
    {
        if (member < 0 || member >= DsmMember.MAX_MEMBERS)
        {
            throw new IllegalArgumentException("member " + member + ": 0.." + (DsmMember.MAX_MEMBERS - 1) +
                " expected");
        }
        checkKey(member, "sendKey", sendKey);
        checkKey(member, "receiveKey", receiveKey);
    }

    private static void checkKey(final int member, final String name, final byte[] key)
    {
        if (null == key || key.length != Handshake.KEY_BYTES || Handshake.isAbsent(key))
        {
            throw new IllegalArgumentException("member " + member + ": " + name + " must be " + Handshake.KEY_BYTES +
                " bytes, not all zero");
        }
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof PeerLink that && member == that.member && streamId == that.streamId &&
            channel.equals(that.channel) && Arrays.equals(sendKey, that.sendKey) &&
            Arrays.equals(receiveKey, that.receiveKey) && encryptToPeer == that.encryptToPeer &&
            encryptToSelf == that.encryptToSelf;
    }

    @Override
    public int hashCode()
    {
        return 31 * (31 * member + streamId) + channel.hashCode();
    }

    /** Never prints the keys. */
    @Override
    public String toString()
    {
        return "PeerLink{member=" + member + " channel=" + channel + " stream=" + streamId + " encryptToPeer=" +
            encryptToPeer + " encryptToSelf=" + encryptToSelf + '}';
    }
}
