package dev.virgo.dsm.cluster;

import dev.virgo.runtime.wire.MalformedMessageException;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        table.put(0, new HeapControl.Member(0, 1000, "aeron:ipc", "origin"));
        table.put(2, new HeapControl.Member(2, 1102, "aeron:udp?endpoint=127.0.0.1:40123", "node-2 (é)"));
        length = HeapControl.members(buffer, table);
        reader.wrap(buffer, 0, length);
        assertEquals(HeapControl.MEMBERS, reader.kind());
        assertEquals(table, reader.readMembers());

        length = HeapControl.joinFailed(buffer, 7, "no route");
        reader.wrap(buffer, 0, length);
        assertEquals(7, reader.readInt());
        assertEquals("no route", reader.readString());
    }

    @Test
    void shouldRefuseEveryTruncationOfAMembersTable()
    {
        final Map<Integer, HeapControl.Member> table = new LinkedHashMap<>();
        table.put(1, new HeapControl.Member(1, 1101, "aeron:ipc", "node-1"));
        final int length = HeapControl.members(buffer, table);
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
}
