package dev.virgo.it.fuzz;

import dev.virgo.dsm.protocol.CoherenceMessage;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What a shared-heap member accepts from a peer, for the fuzzer: every coherence message type (READ, WRITE, DATA,
 * INVALIDATE, INVALIDATE_ACK, FETCH, FETCH_REPLY, NACK, FREE, FREE_ACK), encoded by the protocol's own flyweight, mostly
 * from member 0 (the fuzzer's keys) about pages of the region the target gave it to fuzz, sometimes about pages anywhere,
 * from another member, or with transaction ids the home may really be waiting on.
 * <p>
 * The fuzzer holds real keys, so what it seals reaches the member's protocol: it may own pages of its region, and a
 * member that does not answer the home's FETCH keeps such a page from others, as any member may. The check region is
 * the after-check's: a frame sealed under the fuzzer's keys never names a page or an address in it
 * ({@link #maySeal}), so that what the checker reads shows whether the member kept its data, not whether the fuzzer
 * took a page it was entitled to.
 */
public final class HeapMessages implements FrameFuzzer.MessageSource
{
    private static final int FUZZER = 0;
    private static final int[] TYPES = {
        CoherenceMessage.READ, CoherenceMessage.WRITE, CoherenceMessage.DATA, CoherenceMessage.INVALIDATE,
        CoherenceMessage.INVALIDATE_ACK, CoherenceMessage.FETCH, CoherenceMessage.FETCH_REPLY, CoherenceMessage.NACK,
        CoherenceMessage.FREE, CoherenceMessage.FREE_ACK};

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(8192);
    private final int pageBytes;
    private final int pageShift;
    private final long fuzzRegion;
    private final int fuzzPages;
    private final long checkRegion;
    private final long checkEnd;

    public HeapMessages(final int pageBytes, final long fuzzRegion, final int fuzzPages, final long checkRegion,
        final int checkPages)
    {
        this.pageBytes = pageBytes;
        this.pageShift = Integer.numberOfTrailingZeros(pageBytes);
        this.fuzzRegion = fuzzRegion;
        this.fuzzPages = fuzzPages;
        this.checkRegion = checkRegion;
        this.checkEnd = checkRegion + (long)checkPages * pageBytes;
    }

    @Override
    public byte[] next(final SplittableRandom random)
    {
        final int type = TYPES[random.nextInt(TYPES.length)];
        final int from = random.nextInt(8) == 0 ? random.nextInt(70) - 3 : FUZZER;
        final long address = random.nextInt(8) == 0 ? random.nextLong() & Long.MAX_VALUE :
            fuzzRegion + (long)random.nextInt(fuzzPages) * pageBytes;
        final long page = address >>> pageShift;
        // Transaction ids count up from 1 at a home: small ones may be waited on right now.
        final long correlation = random.nextBoolean() ? random.nextInt(256) : random.nextLong();
        final byte[] bytes = new byte[random.nextInt(8) == 0 ? random.nextInt(2 * pageBytes) : pageBytes];
        random.nextBytes(bytes);
        final int length;
        switch (type)
        {
            case CoherenceMessage.DATA:
                length = CoherenceMessage.data(buffer, from, page, random.nextBoolean(), fuzzRegion,
                    (long)fuzzPages * pageBytes, bytes);
                break;
            case CoherenceMessage.FETCH:
                length = CoherenceMessage.fetch(buffer, from, page, correlation, random.nextBoolean());
                break;
            case CoherenceMessage.FETCH_REPLY:
                length = CoherenceMessage.fetchReply(buffer, from, page, correlation, bytes);
                break;
            case CoherenceMessage.NACK:
                length = CoherenceMessage.nack(buffer, from, page, random.nextBoolean() ? 0 : address, "fuzz");
                break;
            case CoherenceMessage.FREE: case CoherenceMessage.FREE_ACK:
                length = CoherenceMessage.header(buffer, type, from, 0, address);
                break;
            default:
                length = CoherenceMessage.header(buffer, type, from, page, correlation);
                break;
        }
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    @Override
    public boolean maySeal(final byte[] message)
    {
        if (message.length < CoherenceMessage.HEADER_LENGTH)
        {
            return true;
        }
        final ByteBuffer header = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        final long page = header.getLong(CoherenceMessage.PAGE_OFFSET);
        final long correlation = header.getLong(CoherenceMessage.CORRELATION_OFFSET);
        return !inCheckRegion(page << pageShift) && !inCheckRegion(correlation);
    }

    private boolean inCheckRegion(final long address)
    {
        return address >= checkRegion && address < checkEnd;
    }
}
