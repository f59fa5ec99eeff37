package dev.virgo.dsm.cluster;

import dev.virgo.dsm.member.HeapKeys;
import dev.virgo.runtime.security.Handshake;
import dev.virgo.runtime.wire.MalformedMessageException;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeapControlTest
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    private final HeapControl.Reader reader = new HeapControl.Reader();

    @Test
    void shouldReadBackWhatWasWritten()
    {
        int length = HeapControl.joinRequest(buffer, 3, 4096, 5000, 128);
        reader.wrap(buffer, 0, length);
        assertEquals(HeapControl.JOIN_REQUEST, reader.kind());
        assertEquals(3, reader.readInt());
        assertEquals(4096, reader.readInt());
        assertEquals(5000, reader.readLong());
        assertEquals(128, reader.readInt());

        final Map<Integer, HeapControl.Member> table = new LinkedHashMap<>();
        table.put(0, new HeapControl.Member(0, 1000, "aeron:ipc", "origin", false));
        table.put(2, new HeapControl.Member(2, 1102, "aeron:udp?endpoint=127.0.0.1:40123", "node-2 (é)", true));
        final HeapKeys keys = HeapKeys.generate(table.keySet());
        length = HeapControl.members(buffer, table, 2, keys);
        reader.wrap(buffer, 0, length);
        assertEquals(HeapControl.MEMBERS, reader.kind());
        final Map<Integer, HeapControl.Listing> read = reader.readMembers();
        assertEquals(List.of(0, 2), List.copyOf(read.keySet()));
        assertEquals(table.get(0), read.get(0).member());
        assertEquals(table.get(2), read.get(2).member());
        assertArrayEquals(keys.key(2, 0), read.get(0).sendKey());
        assertArrayEquals(keys.key(0, 2), read.get(0).receiveKey());
        assertTrue(Handshake.isAbsent(read.get(2).sendKey()), "no key of a link to itself");
        assertTrue(Handshake.isAbsent(read.get(2).receiveKey()), "no key of a link from itself");
        length = HeapControl.joinFailed(buffer, 7, "no route");
        reader.wrap(buffer, 0, length);
        assertEquals(7, reader.readInt());
        assertEquals("no route", reader.readString());
    }

    @Test
    void shouldRefuseEveryTruncationOfAMembersTable()
    {
        final Map<Integer, HeapControl.Member> table = new LinkedHashMap<>();
        table.put(0, new HeapControl.Member(0, 1000, "aeron:ipc", "origin", false));
        table.put(1, new HeapControl.Member(1, 1101, "aeron:ipc", "node-1", false));
        final int length = HeapControl.members(buffer, table, 1, HeapKeys.generate(table.keySet()));
        for (int cut = 0; cut < length; cut++)
        {
            final int at = cut;
            assertThrows(MalformedMessageException.class, () -> reader.wrap(buffer, 0, at).readMembers(),
                "cut at " + at);
        }
    }

    @Test
    void shouldRefuseUnknownKindsNegativeStringsAndImpossibleTables()
    {
        buffer.putByte(0, (byte)42);
        final MalformedMessageException kind =
            assertThrows(MalformedMessageException.class, () -> reader.wrap(buffer, 0, 1));
        assertTrue(kind.getMessage().contains("unknown kind 42"), kind.getMessage());

        final int length = HeapControl.offer(buffer, 1, 1101, "aeron:ipc");
        buffer.putInt(9, -5);
        final MalformedMessageException negative = assertThrows(MalformedMessageException.class, () ->
        {
            reader.wrap(buffer, 0, length);
            reader.readInt();
            reader.readInt();
            reader.readString();
        });
        assertTrue(negative.getMessage().contains("string length -5"), negative.getMessage());

        buffer.putByte(0, HeapControl.MEMBERS);
        buffer.putInt(1, 65);
        final MalformedMessageException count =
            assertThrows(MalformedMessageException.class, () -> reader.wrap(buffer, 0, 5).readMembers());
        assertTrue(count.getMessage().contains("member count 65"), count.getMessage());
    }

    @Test
    void shouldGiveEachRecipientOnlyTheKeysOfItsOwnLinks()
    {
        final Map<Integer, HeapControl.Member> table = new LinkedHashMap<>();
        for (int id = 0; id < 3; id++)
        {
            table.put(id, new HeapControl.Member(id, 1100 + id, "aeron:ipc", "member-" + id, false));
        }
        final HeapKeys keys = HeapKeys.generate(table.keySet());
        reader.wrap(buffer, 0, HeapControl.members(buffer, table, 1, keys));
        final Map<Integer, HeapControl.Listing> toOne = reader.readMembers();
        for (final HeapControl.Listing listing : toOne.values())
        {
            for (final byte[] key : new byte[][]{listing.sendKey(), listing.receiveKey()})
            {
                assertFalse(Arrays.equals(keys.key(0, 2), key), "member 1 must not learn key(0 to 2)");
                assertFalse(Arrays.equals(keys.key(2, 0), key), "member 1 must not learn key(2 to 0)");
            }
        }
        assertFalse(Arrays.equals(keys.key(0, 1), keys.key(1, 0)), "each direction has its own key");
    }

    @Test
    void shouldRefuseAStringLengthThatWouldWrapPastTheMessage()
    {
        final int length = HeapControl.offer(buffer, 1, 1101, "aeron:ipc");
        buffer.putInt(9, Integer.MAX_VALUE - 5);
        final MalformedMessageException wrapped = assertThrows(MalformedMessageException.class, () ->
        {
            reader.wrap(buffer, 0, length);
            reader.readInt();
            reader.readInt();
            reader.readString();
        });
        assertTrue(wrapped.getMessage().contains("needed"), wrapped.getMessage());
    }
}
