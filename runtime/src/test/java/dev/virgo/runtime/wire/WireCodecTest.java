package dev.virgo.runtime.wire;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class WireCodecTest
{
    /** Messages are encoded at an odd offset so that no test relies on alignment or on offset 0. */
    private static final int AT = 3;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);

    @Test
    void shouldRoundTripHello()
    {
        final int length = new HelloEncoder().wrap(buffer, AT).originId(7).threadId(0)
            .originPid(1234).replyStreamId(10).replyChannel("aeron:udp?endpoint=127.0.0.1:40123")
            .originName("app-é").encodedLength();

        final HelloDecoder d = new HelloDecoder().wrap(buffer, AT, length);
        assertEquals(7, d.originId());
        assertEquals(1234, d.originPid());
        assertEquals(10, d.replyStreamId());
        assertEquals("aeron:udp?endpoint=127.0.0.1:40123", d.replyChannel());
        assertEquals("app-é", d.originName());
        assertEquals(MessageType.HELLO, new MessageHeaderDecoder().wrap(buffer, AT, length).type());
    }

    @Test
    void shouldRoundTripWelcome()
    {
        final int length = new WelcomeEncoder().wrap(buffer, AT).originId(7)
            .nodePid(99).availableProcessors(2).nodeName("node-1").hostName("rack-7.example").encodedLength();

        final WelcomeDecoder d = new WelcomeDecoder().wrap(buffer, AT, length);
        assertEquals(99, d.nodePid());
        assertEquals(2, d.availableProcessors());
        assertEquals("node-1", d.nodeName());
        assertEquals("rack-7.example", d.hostName());
    }

    @Test
    void shouldCarryTheOwnHandlerFlagOnStart()
    {
        int length = new StartEncoder().wrap(buffer, AT).priority(5).ownHandler(true).threadName("t").encodedLength();
        assertTrue(new StartDecoder().wrap(buffer, AT, length).ownHandler());
        assertEquals(StartEncoder.FLAG_OWN_HANDLER, new MessageHeaderDecoder().wrap(buffer, AT, length).flags());

        length = new StartEncoder().wrap(buffer, AT).priority(5).threadName("t").encodedLength();
        assertFalse(new StartDecoder().wrap(buffer, AT, length).ownHandler());
    }

    @Test
    void shouldRoundTripPropertiesInOrder()
    {
        final Map<String, String> properties = new LinkedHashMap<>();
        properties.put("app.mode", "fast");
        properties.put("empty", "");
        properties.put("unicodé.ключ", "värde ✓");
        final int length = new PropertiesEncoder().wrap(buffer, AT).originId(7).version(3).properties(properties)
            .encodedLength();

        final PropertiesDecoder d = new PropertiesDecoder().wrap(buffer, AT, length);
        assertEquals(3, d.version());
        assertEquals(3, d.propertyCount());
        assertEquals(List.copyOf(properties.entrySet()), List.copyOf(d.properties().entrySet()));

        final int none = new PropertiesEncoder().wrap(buffer, AT).properties(Map.of()).encodedLength();
        assertEquals(Map.of(), new PropertiesDecoder().wrap(buffer, AT, none).properties());
    }

    @Test
    void shouldRejectPropertiesWhoseEntriesDoNotFillTheField()
    {
        final int field = AT + MessageHeader.LENGTH + 8;
        int length = new PropertiesEncoder().wrap(buffer, AT).properties(Map.of("k", "v")).encodedLength();
        buffer.putInt(field + 4 + 4 + 1, 7, MessageHeader.BYTE_ORDER); // the value claims 7 bytes, 1 remains
        assertMalformed(new PropertiesDecoder(), length, "PROPERTIES: properties: value of entry 0 has length 7");

        length = new PropertiesEncoder().wrap(buffer, AT).properties(Map.of("k", "v")).encodedLength();
        buffer.putInt(field + 4, -1, MessageHeader.BYTE_ORDER);
        assertMalformed(new PropertiesDecoder(), length, "PROPERTIES: properties: key of entry 0 has length -1");

        // A field of 5 bytes: one whole key ("k") and nothing for its value.
        length = new PropertiesEncoder().wrap(buffer, AT).properties(Map.of("k", "v")).encodedLength();
        buffer.putInt(field, 5, MessageHeader.BYTE_ORDER);
        assertMalformed(new PropertiesDecoder(), length - 5, "PROPERTIES: properties: entry 0 has a key but no value");

        // A field of 7 bytes: a whole key and 2 bytes where a 4-byte length should be.
        buffer.putInt(field, 7, MessageHeader.BYTE_ORDER);
        assertMalformed(new PropertiesDecoder(), length - 3,
            "PROPERTIES: properties: value of entry 0 has a truncated length prefix");
    }

    @Test
    void shouldRoundTripExitAndUncaught()
    {
        int length = new ExitEncoder().wrap(buffer, AT).originId(7).threadId(12).status(-3).halt(true)
            .encodedLength();
        final ExitDecoder exit = new ExitDecoder().wrap(buffer, AT, length);
        assertEquals(12, exit.threadId());
        assertEquals(-3, exit.status());
        assertTrue(exit.halt());

        final byte[] thrown = randomBytes(40, 4);
        length = new UncaughtEncoder().wrap(buffer, AT).threadId(12).throwable(thrown).encodedLength();
        final UncaughtDecoder uncaught = new UncaughtDecoder().wrap(buffer, AT, length);
        assertEquals(12, uncaught.threadId());
        assertArrayEquals(thrown, uncaught.throwable());
        assertEquals(thrown.length, uncaught.throwableLength());
    }

    @Test
    void shouldRoundTripStartAndReadSnapshotInPlace()
    {
        final byte[] snapshot = randomBytes(5000, 1);
        final int length = new StartEncoder().wrap(buffer, AT).originId(7).threadId(42)
            .daemon(true).priority(Thread.MAX_PRIORITY).threadName("worker-3").snapshot(snapshot).encodedLength();

        final StartDecoder d = new StartDecoder().wrap(buffer, AT, length);
        assertEquals(42, d.threadId());
        assertTrue(d.daemon());
        assertEquals(Thread.MAX_PRIORITY, d.priority());
        assertEquals("worker-3", d.threadName());
        assertArrayEquals(snapshot, d.snapshot());
        assertSame(buffer, d.buffer());
        assertEquals(snapshot.length, d.payloadLength());
        assertEquals(d.snapshotOffset(), d.payloadOffset());
        for (int i = 0; i < snapshot.length; i += 997)
        {
            assertEquals(snapshot[i], d.buffer().getByte(d.payloadOffset() + i));
        }
    }

    @Test
    void shouldSerializeSnapshotStraightIntoReservedSpace()
    {
        final StartEncoder e = new StartEncoder().wrap(buffer, AT).priority(5).threadName("t");
        final int at = e.reserveSnapshot(4);
        e.buffer().putInt(at, 0xCAFEBABE);
        final int length = e.encodedLength();

        final StartDecoder d = new StartDecoder().wrap(buffer, AT, length);
        assertEquals(4, d.snapshotLength());
        assertEquals(0xCAFEBABE, d.buffer().getInt(d.snapshotOffset()));
    }

    @Test
    void shouldRoundTripFinishedWithAndWithoutThrowable()
    {
        final byte[] state = {1, 2, 3};
        final byte[] thrown = {9, 9};
        int length = new FinishedEncoder().wrap(buffer, AT).threadId(5).outcome(FinishedEncoder.OUTCOME_EXCEPTION)
            .finalState(new UnsafeBuffer(state), 0, state.length).throwable(thrown).encodedLength();
        FinishedDecoder d = new FinishedDecoder().wrap(buffer, AT, length);
        assertEquals(FinishedEncoder.OUTCOME_EXCEPTION, d.outcome());
        assertArrayEquals(state, d.finalState());
        assertArrayEquals(thrown, d.throwable());

        length = new FinishedEncoder().wrap(buffer, AT).outcome(FinishedEncoder.OUTCOME_NORMAL).finalState(state)
            .encodedLength();
        d = new FinishedDecoder().wrap(buffer, AT, length);
        assertEquals(FinishedEncoder.OUTCOME_NORMAL, d.outcome());
        assertArrayEquals(state, d.finalState());
        assertEquals(0, d.throwableLength());
    }

    @Test
    void shouldRoundTripClassRequestAndReply()
    {
        int length = new ClassRequestEncoder().wrap(buffer, AT).originId(7).threadId(2).correlationId(77)
            .loaderId(3).className("com.acme.Foo$Bar").encodedLength();
        final ClassRequestDecoder request = new ClassRequestDecoder().wrap(buffer, AT, length);
        assertEquals(2, request.threadId(), "the node's index");
        assertEquals(77, request.correlationId());
        assertEquals(3, request.loaderId());
        assertEquals("com.acme.Foo$Bar", request.className());

        final byte[] classFile = randomBytes(300, 2);
        length = new ClassReplyEncoder().wrap(buffer, AT).correlationId(77).status(ClassReplyEncoder.STATUS_FOUND)
            .classBytes(classFile).encodedLength();
        final ClassReplyDecoder reply = new ClassReplyDecoder().wrap(buffer, AT, length);
        assertEquals(77, reply.correlationId());
        assertTrue(reply.found());
        assertEquals(ClassReplyEncoder.STATUS_FOUND, reply.status());
        assertArrayEquals(classFile, reply.classBytes());
        assertEquals("", reply.reason());
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[reply.payloadLength()]);
        reply.getClassBytes(copy, 0);
        assertArrayEquals(classFile, copy.byteArray());
    }

    @Test
    void shouldRoundTripSyncAndItsReply()
    {
        final byte[] released = randomBytes(500, 3);
        int length = new SyncEncoder().wrap(buffer, AT).originId(7).threadId(31).correlationId(99).shadow(2)
            .op(SyncEncoder.OP_VOLATILE_WRITE).objectId(-1).timeoutMs(0).className("com.acme.Flags")
            .fieldName("stop").state(released).encodedLength();
        final SyncDecoder sync = new SyncDecoder().wrap(buffer, AT, length);
        assertEquals(31, sync.threadId());
        assertEquals(99, sync.correlationId());
        assertEquals(2, sync.shadow());
        assertEquals(SyncEncoder.OP_VOLATILE_WRITE, sync.op());
        assertEquals(-1, sync.objectId());
        assertEquals("com.acme.Flags", sync.className());
        assertEquals("stop", sync.fieldName());
        assertArrayEquals(released, sync.state());

        final byte[] acquired = randomBytes(700, 4);
        length = new SyncReplyEncoder().wrap(buffer, AT).originId(7).threadId(31).correlationId(99)
            .status(SyncReplyEncoder.STATUS_INTERRUPTED).state(acquired).message(null).encodedLength();
        final SyncReplyDecoder reply = new SyncReplyDecoder().wrap(buffer, AT, length);
        assertEquals(99, reply.correlationId());
        assertEquals(SyncReplyEncoder.STATUS_INTERRUPTED, reply.status());
        assertArrayEquals(acquired, reply.state());
        assertEquals("", reply.message());
    }

    @Test
    void shouldRefuseASyncWithAnUnknownOperationOrANegativeObject()
    {
        int length = new SyncEncoder().wrap(buffer, AT).op((byte)42).encodedLength();
        assertMalformed(new SyncDecoder(), length, "op is 42");
        length = new SyncEncoder().wrap(buffer, AT).op(SyncEncoder.OP_ENTER).objectId(-7).encodedLength();
        assertMalformed(new SyncDecoder(), length, "objectId is -7");
        length = new SyncReplyEncoder().wrap(buffer, AT).status((byte)9).encodedLength();
        assertMalformed(new SyncReplyDecoder(), length, "status is 9");
        length = new SyncEncoder().wrap(buffer, AT).op((byte)(SyncEncoder.LAST_OP + 1)).encodedLength();
        assertMalformed(new SyncDecoder(), length, "op is " + (SyncEncoder.LAST_OP + 1));
        length = new SyncReplyEncoder().wrap(buffer, AT).status((byte)(SyncReplyEncoder.LAST_STATUS + 1)).encodedLength();
        assertMalformed(new SyncReplyDecoder(), length, "status is " + (SyncReplyEncoder.LAST_STATUS + 1));
    }

    @Test
    void shouldRoundTripAConcurrentCallAndTheExceptionItThrew()
    {
        final byte[] released = randomBytes(300, 5);
        int length = new SyncEncoder().wrap(buffer, AT).originId(7).threadId(31).correlationId(100).shadow(0)
            .op(SyncEncoder.OP_INVOKE).objectId(12).timeoutMs(0).className("java.util.concurrent.locks.Lock")
            .fieldName("tryLock(JLjava/util/concurrent/TimeUnit;)Z").state(released).encodedLength();
        final SyncDecoder sync = new SyncDecoder().wrap(buffer, AT, length);
        assertEquals(SyncEncoder.OP_INVOKE, sync.op());
        assertEquals(12, sync.objectId());
        assertEquals("java.util.concurrent.locks.Lock", sync.className());
        assertEquals("tryLock(JLjava/util/concurrent/TimeUnit;)Z", sync.fieldName());
        assertArrayEquals(released, sync.state());

        length = new SyncEncoder().wrap(buffer, AT).op(SyncEncoder.OP_INVOKE_BLOCKING).objectId(3).encodedLength();
        assertEquals(SyncEncoder.OP_INVOKE_BLOCKING, new SyncDecoder().wrap(buffer, AT, length).op());

        final byte[] acquired = randomBytes(200, 6);
        length = new SyncReplyEncoder().wrap(buffer, AT).originId(7).threadId(31).correlationId(100)
            .status(SyncReplyEncoder.STATUS_THREW).state(acquired).message(null).encodedLength();
        final SyncReplyDecoder reply = new SyncReplyDecoder().wrap(buffer, AT, length);
        assertEquals(SyncReplyEncoder.STATUS_THREW, reply.status());
        assertArrayEquals(acquired, reply.state());

        length = new SyncReplyEncoder().wrap(buffer, AT).correlationId(101).status(SyncReplyEncoder.STATUS_BROKEN)
            .message("what the call changed cannot be sent back").encodedLength();
        assertEquals("what the call changed cannot be sent back",
            new SyncReplyDecoder().wrap(buffer, AT, length).message());
    }

    @Test
    void shouldAnswerAClassRequestWithNotFoundOrARefusalSayingWhy()
    {
        int length = new ClassReplyEncoder().wrap(buffer, AT).correlationId(8)
            .status(ClassReplyEncoder.STATUS_NOT_FOUND).encodedLength();
        ClassReplyDecoder reply = new ClassReplyDecoder().wrap(buffer, AT, length);
        assertFalse(reply.found());
        assertEquals(ClassReplyEncoder.STATUS_NOT_FOUND, reply.status());
        assertEquals(0, reply.classBytesLength());
        assertEquals("", reply.reason());

        length = new ClassReplyEncoder().wrap(buffer, AT).correlationId(9).status(ClassReplyEncoder.STATUS_REFUSED)
            .reason("the origin has no class loader 12").encodedLength();
        reply = new ClassReplyDecoder().wrap(buffer, AT, length);
        assertEquals(9, reply.correlationId());
        assertFalse(reply.found());
        assertEquals(ClassReplyEncoder.STATUS_REFUSED, reply.status());
        assertEquals(0, reply.classBytesLength());
        assertEquals("the origin has no class loader 12", reply.reason());
    }

    @Test
    void shouldRoundTripOutput()
    {
        final byte[] line = "hello\n".getBytes(StandardCharsets.UTF_8);
        final int length = new OutputEncoder().wrap(buffer, AT).threadId(3).stream(OutputEncoder.STREAM_ERR)
            .bytes(line).encodedLength();
        final OutputDecoder d = new OutputDecoder().wrap(buffer, AT, length);
        assertEquals(OutputEncoder.STREAM_ERR, d.stream());
        assertArrayEquals(line, d.bytes());
    }

    @Test
    void shouldRoundTripHeaderOnlyMessages()
    {
        int length = new InterruptEncoder().wrap(buffer, AT).originId(1).threadId(2).encodedLength();
        assertEquals(MessageHeader.LENGTH, length);
        assertEquals(2, new InterruptDecoder().wrap(buffer, AT, length).threadId());

        length = new ByeEncoder().wrap(buffer, AT).originId(11).encodedLength();
        assertEquals(11, new ByeDecoder().wrap(buffer, AT, length).originId());
    }

    @Test
    void shouldRoundTripStateRequestAndReply()
    {
        int length = new StateRequestEncoder().wrap(buffer, AT).threadId(4).correlationId(5).encodedLength();
        assertEquals(5, new StateRequestDecoder().wrap(buffer, AT, length).correlationId());

        length = new StateReplyEncoder().wrap(buffer, AT).correlationId(5)
            .state((byte)Thread.State.TIMED_WAITING.ordinal()).encodedLength();
        final StateReplyDecoder reply = new StateReplyDecoder().wrap(buffer, AT, length);
        assertEquals(5, reply.correlationId());
        assertEquals(Thread.State.TIMED_WAITING, reply.threadState());
    }

    @Test
    void shouldRoundTripHeartbeat()
    {
        final int length = new HeartbeatEncoder().wrap(buffer, AT).timestampNs(123456789L).runningThreads(3)
            .availableProcessors(2).freeHeapBytes(1L << 33).systemLoadAverage(1.25).encodedLength();
        final HeartbeatDecoder d = new HeartbeatDecoder().wrap(buffer, AT, length);
        assertEquals(123456789L, d.timestampNs());
        assertEquals(3, d.runningThreads());
        assertEquals(2, d.availableProcessors());
        assertEquals(1L << 33, d.freeHeapBytes());
        assertEquals(1.25, d.systemLoadAverage());
    }

    @Test
    void shouldRoundTripError()
    {
        final int length = new ErrorEncoder().wrap(buffer, AT).code(ErrorCodes.MALFORMED_MESSAGE)
            .message("START: truncated").encodedLength();
        final ErrorDecoder d = new ErrorDecoder().wrap(buffer, AT, length);
        assertEquals(ErrorCodes.MALFORMED_MESSAGE, d.code());
        assertEquals("START: truncated", d.message());
    }

    @Test
    void shouldWriteTheDocumentedLittleEndianHeader()
    {
        final int length = new StateRequestEncoder().wrap(buffer, 0).flags(0x01020304).originId(0x1122334455667788L)
            .threadId(-2).correlationId(9).encodedLength();
        assertEquals(MessageHeader.LENGTH + 8, length);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        assertEquals(MessageType.STATE_REQUEST.code(), bytes[0]);
        assertEquals(0, bytes[1]);
        assertEquals(MessageHeader.CURRENT_VERSION, bytes[2]);
        assertEquals(0x04, bytes[4]);
        assertEquals((byte)0x88, bytes[8]);
        assertEquals((byte)0xFE, bytes[16]);
        assertEquals(9, bytes[24]);
    }

    @Test
    void shouldWriteSkippedVariableFieldsAsEmpty()
    {
        final int length = new HelloEncoder().wrap(buffer, AT).originName("only-name").encodedLength();
        final HelloDecoder d = new HelloDecoder().wrap(buffer, AT, length);
        assertEquals("", d.replyChannel());
        assertEquals("only-name", d.originName());
    }

    @Test
    void shouldRefuseVariableFieldSetOutOfOrder()
    {
        final HelloEncoder e = new HelloEncoder().wrap(buffer, AT).originName("second");
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> e.replyChannel("first"));
        assertTrue(ex.getMessage().contains("HELLO: replyChannel"), ex.getMessage());
    }

    @Test
    void shouldRejectTruncatedStartMessageAtEveryLength()
    {
        final int length = new StartEncoder().wrap(buffer, AT).priority(5).threadName("worker")
            .snapshot(randomBytes(20, 3)).encodedLength();
        final StartDecoder d = new StartDecoder();
        for (int truncated = 0; truncated < length; truncated++)
        {
            final int at = truncated;
            final MalformedMessageException ex = assertThrows(
                MalformedMessageException.class, () -> d.wrap(buffer, AT, at), "length " + at);
            assertTrue(ex.getMessage().startsWith("START: "), ex.getMessage());
        }
    }

    @Test
    void shouldRejectTruncatedMessageOfEveryTypeAtEveryLength()
    {
        final List<MessageDecoder<?>> decoders = decoders();
        for (final MessageDecoder<?> decoder : decoders)
        {
            final int length = encodeMinimal(decoder.type());
            decoder.wrap(buffer, AT, length);
            for (int truncated = 0; truncated < length; truncated++)
            {
                final int at = truncated;
                assertThrows(MalformedMessageException.class, () -> decoder.wrap(buffer, AT, at),
                    decoder.type() + " truncated to " + at);
                assertThrows(MalformedMessageException.class,
                    () -> new MessageHeaderDecoder().wrap(buffer, AT, Math.min(at, MessageHeader.LENGTH - 1)));
            }
        }
    }

    @Test
    void shouldRejectNegativeStringLength()
    {
        final int length = new ClassRequestEncoder().wrap(buffer, AT).correlationId(1).loaderId(1).className("x.Y")
            .encodedLength();
        buffer.putInt(AT + MessageHeader.LENGTH + 12, -5, MessageHeader.BYTE_ORDER);

        final MalformedMessageException ex = assertThrows(
            MalformedMessageException.class, () -> new ClassRequestDecoder().wrap(buffer, AT, length));
        assertTrue(ex.getMessage().contains("CLASS_REQUEST: className has negative length -5"), ex.getMessage());
    }

    @Test
    void shouldRejectOverlongBytesLength()
    {
        final int length = new OutputEncoder().wrap(buffer, AT).stream(OutputEncoder.STREAM_OUT).bytes(new byte[10])
            .encodedLength();
        buffer.putInt(AT + MessageHeader.LENGTH + 1, Integer.MAX_VALUE, MessageHeader.BYTE_ORDER);

        final MalformedMessageException ex = assertThrows(
            MalformedMessageException.class, () -> new OutputDecoder().wrap(buffer, AT, length));
        assertTrue(ex.getMessage().contains("OUTPUT: bytes length " + Integer.MAX_VALUE), ex.getMessage());
        assertTrue(ex.getMessage().contains("overruns"), ex.getMessage());
    }

    @Test
    void shouldRejectTrailingBytes()
    {
        final int length = new InterruptEncoder().wrap(buffer, AT).encodedLength();
        final MalformedMessageException ex = assertThrows(
            MalformedMessageException.class, () -> new InterruptDecoder().wrap(buffer, AT, length + 2));
        assertTrue(ex.getMessage().contains("INTERRUPT: 2 unexpected bytes"), ex.getMessage());
    }

    @Test
    void shouldRejectUnknownType()
    {
        final int length = new ByeEncoder().wrap(buffer, AT).encodedLength();
        buffer.putShort(AT + MessageHeader.TYPE_OFFSET, (short)999, MessageHeader.BYTE_ORDER);

        final MalformedMessageException headerEx = assertThrows(
            MalformedMessageException.class, () -> new MessageHeaderDecoder().wrap(buffer, AT, length));
        assertTrue(headerEx.getMessage().contains("unknown type code 999"), headerEx.getMessage());
        final MalformedMessageException byeEx = assertThrows(
            MalformedMessageException.class, () -> new ByeDecoder().wrap(buffer, AT, length));
        assertTrue(byeEx.getMessage().contains("BYE: wrong decoder for unknown type code 999"), byeEx.getMessage());
    }

    @Test
    void shouldRejectMessageGivenToTheWrongDecoder()
    {
        final int length = new ByeEncoder().wrap(buffer, AT).encodedLength();
        final MalformedMessageException ex = assertThrows(
            MalformedMessageException.class, () -> new InterruptDecoder().wrap(buffer, AT, length));
        assertTrue(ex.getMessage().contains("INTERRUPT: wrong decoder for BYE"), ex.getMessage());
    }

    @Test
    void shouldRejectWrongVersion()
    {
        final int length = new HeartbeatEncoder().wrap(buffer, AT).encodedLength();
        final int otherVersion = MessageHeader.CURRENT_VERSION + 1;
        buffer.putShort(AT + MessageHeader.VERSION_OFFSET, (short)otherVersion, MessageHeader.BYTE_ORDER);

        final MalformedMessageException ex = assertThrows(
            MalformedMessageException.class, () -> new HeartbeatDecoder().wrap(buffer, AT, length));
        assertTrue(ex.getMessage().contains("HEARTBEAT: unsupported version " + otherVersion), ex.getMessage());
        assertThrows(MalformedMessageException.class, () -> new MessageHeaderDecoder().wrap(buffer, AT, length));
    }

    @Test
    void shouldRejectFieldsOutsideTheirRange()
    {
        int length = new FinishedEncoder().wrap(buffer, AT).outcome((byte)7).encodedLength();
        assertMalformed(new FinishedDecoder(), length, "FINISHED: outcome is 7");

        length = new OutputEncoder().wrap(buffer, AT).stream((byte)0).encodedLength();
        assertMalformed(new OutputDecoder(), length, "OUTPUT: stream is 0");

        length = new StateReplyEncoder().wrap(buffer, AT).state((byte)42).encodedLength();
        assertMalformed(new StateReplyDecoder(), length, "STATE_REPLY: state is 42");

        length = new ClassReplyEncoder().wrap(buffer, AT).status((byte)3).encodedLength();
        assertMalformed(new ClassReplyDecoder(), length, "CLASS_REPLY: status is 3");

        length = new StartEncoder().wrap(buffer, AT).priority(5).encodedLength();
        buffer.putByte(AT + MessageHeader.LENGTH, (byte)2);
        assertMalformed(new StartDecoder(), length, "START: daemon is 2");

        length = new StartEncoder().wrap(buffer, AT).priority(0).encodedLength();
        assertMalformed(new StartDecoder(), length, "START: priority is 0");

        length = new StartEncoder().wrap(buffer, AT).flags(0x6).priority(5).encodedLength();
        assertMalformed(new StartDecoder(), length, "START: flags are 0x6");

        length = new ExitEncoder().wrap(buffer, AT).encodedLength();
        buffer.putByte(AT + MessageHeader.LENGTH + 4, (byte)3);
        assertMalformed(new ExitDecoder(), length, "EXIT: halt is 3");
    }

    @Test
    void shouldRejectBoundsOutsideTheBuffer()
    {
        final UnsafeBuffer small = new UnsafeBuffer(new byte[16]);
        assertThrows(MalformedMessageException.class, () -> new ByeDecoder().wrap(small, 0, 32));
        assertThrows(MalformedMessageException.class, () -> new ByeDecoder().wrap(small, -1, 8));
        assertThrows(MalformedMessageException.class, () -> new ByeDecoder().wrap(small, 8, Integer.MAX_VALUE));
        assertThrows(MalformedMessageException.class, () -> new MessageHeaderDecoder().wrap(small, 0, 17));
    }

    @Test
    void shouldOnlyEverRaiseMalformedMessageOnRandomGarbage()
    {
        final Random random = new Random(2024);
        final UnsafeBuffer garbage = new UnsafeBuffer(new byte[256]);
        final List<MessageDecoder<?>> decoders = decoders();
        for (int i = 0; i < 20_000; i++)
        {
            final MessageDecoder<?> decoder = decoders.get(i % decoders.size());
            final int length = random.nextInt(garbage.capacity() + 1);
            random.nextBytes(garbage.byteArray());
            if (random.nextBoolean())
            {
                // Mostly-valid headers reach the length checks instead of stopping at the type check.
                garbage.putShort(0, (short)decoder.type().code(), MessageHeader.BYTE_ORDER);
                garbage.putShort(2, (short)MessageHeader.CURRENT_VERSION, MessageHeader.BYTE_ORDER);
                if (length > MessageHeader.LENGTH + decoder.type().fixedLength() + 4 && random.nextBoolean())
                {
                    garbage.putInt(MessageHeader.LENGTH + decoder.type().fixedLength(),
                        random.nextInt(length), MessageHeader.BYTE_ORDER);
                }
            }
            try
            {
                decoder.wrap(garbage, 0, length);
            }
            catch (final MalformedMessageException expected)
            {
                assertTrue(expected.getMessage().startsWith(decoder.type().name()), expected.getMessage());
            }
        }
    }

    @Test
    void shouldDescribeEveryTypeWithAUniqueCode()
    {
        for (final MessageType type : MessageType.values())
        {
            assertSame(type, MessageType.get(type.code()));
        }
        assertNull(MessageType.get(0));
        assertNull(MessageType.get(-1));
        assertNull(MessageType.get(65535));
        assertEquals(19, MessageType.values().length);
    }

    private void assertMalformed(final MessageDecoder<?> decoder, final int length, final String expected)
    {
        final MalformedMessageException ex = assertThrows(
            MalformedMessageException.class, () -> decoder.wrap(buffer, AT, length));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }

    /** Encodes the smallest valid message of a type (with a variable field filled where there is one). */
    private int encodeMinimal(final MessageType type)
    {
        final MutableDirectBuffer b = buffer;
        switch (type)
        {
            case HELLO: return new HelloEncoder().wrap(b, AT).replyChannel("c").originName("n").encodedLength();
            case WELCOME: return new WelcomeEncoder().wrap(b, AT).nodeName("n").hostName("h").encodedLength();
            case START: return new StartEncoder().wrap(b, AT).priority(5).threadName("t").encodedLength();
            case FINISHED: return new FinishedEncoder().wrap(b, AT).finalState(new byte[2]).encodedLength();
            case CLASS_REQUEST: return new ClassRequestEncoder().wrap(b, AT).className("A").encodedLength();
            case CLASS_REPLY: return new ClassReplyEncoder().wrap(b, AT).classBytes(new byte[3]).reason("r")
                .encodedLength();
            case OUTPUT: return new OutputEncoder().wrap(b, AT).stream(OutputEncoder.STREAM_OUT).encodedLength();
            case INTERRUPT: return new InterruptEncoder().wrap(b, AT).encodedLength();
            case STATE_REQUEST: return new StateRequestEncoder().wrap(b, AT).encodedLength();
            case STATE_REPLY: return new StateReplyEncoder().wrap(b, AT).encodedLength();
            case HEARTBEAT: return new HeartbeatEncoder().wrap(b, AT).encodedLength();
            case BYE: return new ByeEncoder().wrap(b, AT).encodedLength();
            case ERROR: return new ErrorEncoder().wrap(b, AT).message("m").encodedLength();
            case HEAP: return new HeapEncoder().wrap(b, AT).payload(new UnsafeBuffer(new byte[3]), 0, 3)
                .encodedLength();
            case PROPERTIES: return new PropertiesEncoder().wrap(b, AT).properties(Map.of("k", "v")).encodedLength();
            case EXIT: return new ExitEncoder().wrap(b, AT).status(1).encodedLength();
            case UNCAUGHT: return new UncaughtEncoder().wrap(b, AT).throwable(new byte[2]).encodedLength();
            case SYNC: return new SyncEncoder().wrap(b, AT).op(SyncEncoder.OP_ENTER).className("A").fieldName("f")
                .state(new byte[2]).encodedLength();
            case SYNC_REPLY: return new SyncReplyEncoder().wrap(b, AT).state(new byte[2]).message("m").encodedLength();
            default: throw new AssertionError(type);
        }
    }

    private static List<MessageDecoder<?>> decoders()
    {
        return List.of(new HelloDecoder(), new WelcomeDecoder(), new StartDecoder(), new FinishedDecoder(),
            new ClassRequestDecoder(), new ClassReplyDecoder(), new OutputDecoder(), new InterruptDecoder(),
            new StateRequestDecoder(), new StateReplyDecoder(), new HeartbeatDecoder(), new ByeDecoder(), new HeapDecoder(),
            new ErrorDecoder(), new PropertiesDecoder(), new ExitDecoder(), new UncaughtDecoder(), new SyncDecoder(),
            new SyncReplyDecoder());
    }

    private static byte[] randomBytes(final int length, final long seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
