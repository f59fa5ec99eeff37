package dev.virgo.dsm.member;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.dsm.protocol.CoherenceMessage;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.transport.MessageHandler;
import dev.virgo.runtime.wire.MalformedMessageException;
import org.agrona.DirectBuffer;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Decodes each coherence message that arrives at this member and hands it to the role it is for: requests, fetched
 * data and acknowledgements to the {@link PageHome}; grants, refusals and free acknowledgements to the
 * {@link Requester} that waits for them; the home's invalidations and fetches to the {@link PageCache}.
 *
 * <p>Before anything acts on a message it is checked against who sent it: the sender is the member whose key opened
 * its frames ({@link MemberLinks#authenticatedSender()}), never what the message says; the message's {@code from}
 * must be that member, its page or allocation must lie in the heap, a home's command (INVALIDATE, FETCH) and its
 * answers to requests (DATA, NACK, FREE_ACK) must come from the home of the page or allocation, and a reply must answer
 * something this member waits for. What fails is dropped and counted by {@link CoherenceDrop}; the first drop of each
 * kind is logged (a flood of forgeries would otherwise flood the log too), the count says how many followed.
 *
 * <p>Threads: the conductor only, through {@link MemberLinks#poll}; the counts are read by any thread.
 */
final class CoherenceAdapter implements MessageHandler
{
    private final int self;
    private final int pageShift;
    private final int pageSizeBytes;
    /** Page numbers at or above this lie past the last member's addresses. */
    private final long pageLimit;
    private final MemberLinks links;
    private final PageCache pages;
    private final Requester requester;
    private final PageHome home;
    private final CoherenceMessage message = new CoherenceMessage();
    private final AtomicLongArray drops = new AtomicLongArray(CoherenceDrop.values().length);

    CoherenceAdapter(
        final int self, final int pageSizeBytes, final MemberLinks links, final PageCache pages,
        final Requester requester, final PageHome home)
    {
        this.self = self;
        this.pageSizeBytes = pageSizeBytes;
        this.pageShift = Integer.numberOfTrailingZeros(pageSizeBytes);
        this.pageLimit = (long)DsmMember.MAX_MEMBERS << (GlobalAddress.HOME_SHIFT - pageShift);
        this.links = links;
        this.pages = pages;
        this.requester = requester;
        this.home = home;
    }

    /** Any thread. @return how many messages were dropped for this reason so far. */
    long dropped(final CoherenceDrop why)
    {
        return drops.get(why.ordinal());
    }

    @Override
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final int sender = links.authenticatedSender();
        if (MemberLinks.NO_MEMBER == sender)
        {
            drop(CoherenceDrop.UNAUTHENTICATED, sender, length + " bytes in plain frames or under an unknown session");
            return;
        }
        try
        {
            message.wrap(buffer, offset, length);
        }
        catch (final MalformedMessageException ex)
        {
            drop(CoherenceDrop.MALFORMED, sender, ex.getMessage());
            return;
        }
        final int type = message.type();
        if (message.from() != sender)
        {
            drop(CoherenceDrop.FORGED_SENDER, sender, "type " + type + " says it is from member " + message.from());
            return;
        }
        if (!inRange(type))
        {
            drop(CoherenceDrop.OUT_OF_RANGE, sender, "type " + type + " page " + message.page() + " correlation 0x" +
                Long.toHexString(message.correlation()));
            return;
        }
        if (!dispatch(type, sender))
        {
            drop(CoherenceDrop.UNSOLICITED, sender, "type " + type + " page " + message.page() + " correlation 0x" +
                Long.toHexString(message.correlation()) + ": nothing here waits for it from that member");
        }
    }

    /** @return false when the message answers nothing this member waits for from {@code sender}. */
    private boolean dispatch(final int type, final int sender)
    {
        switch (type)
        {
            case CoherenceMessage.READ: home.onRequest(message.page(), sender, false); return true;
            case CoherenceMessage.WRITE: home.onRequest(message.page(), sender, true); return true;
            case CoherenceMessage.FREE: home.onFree(message.correlation(), sender); return true;
            case CoherenceMessage.DATA: return isPageHome(sender) && requester.onGrant(message);
            case CoherenceMessage.INVALIDATE:
                if (!isPageHome(sender))
                {
                    return false;
                }
                pages.onInvalidate(message.page(), sender, message.correlation());
                return true;
            case CoherenceMessage.FETCH:
                if (!isPageHome(sender))
                {
                    return false;
                }
                pages.onFetch(message.page(), sender, message.invalidate(), message.correlation());
                return true;
            case CoherenceMessage.INVALIDATE_ACK:
                return home.onInvalidateAck(message.page(), sender, message.correlation());
            case CoherenceMessage.FETCH_REPLY:
                return home.onFetchReply(message.page(), sender, message.correlation(), message);
            case CoherenceMessage.NACK:
                if (0 != message.correlation())
                {
                    return GlobalAddress.home(message.correlation()) == sender &&
                        requester.onNack(0, message.correlation(), message.reason());
                }
                return isPageHome(sender) && requester.onNack(message.page(), 0, message.reason());
            case CoherenceMessage.FREE_ACK:
                return GlobalAddress.home(message.correlation()) == sender &&
                    requester.onFreeAck(message.correlation());
            default: return false;
        }
    }

    /**
     * The fields a message's type uses, checked before any role indexes a map, shifts a bit mask or sizes a buffer by
     * them: pages and addresses within the heap's members, pages of this heap's size, and an allocation that holds
     * the page it grants.
     */
    private boolean inRange(final int type)
    {
        switch (type)
        {
            case CoherenceMessage.FREE: case CoherenceMessage.FREE_ACK:
                return isAddress(message.correlation());
            case CoherenceMessage.NACK:
                return 0 != message.correlation() ? isAddress(message.correlation()) : isPage(message.page());
            case CoherenceMessage.FETCH_REPLY:
                return isPage(message.page()) && message.pageBytesLength() == pageSizeBytes;
            case CoherenceMessage.DATA:
                return isPage(message.page()) && message.pageBytesLength() == pageSizeBytes && holdsPage();
            default:
                return isPage(message.page());
        }
    }

    private boolean holdsPage()
    {
        final long start = message.allocStart();
        final long allocLength = message.allocLength();
        final long pageStart = message.page() << pageShift;
        return isAddress(start) && allocLength > 0 && allocLength <= GlobalAddress.OFFSET_MASK &&
            GlobalAddress.home(start) == GlobalAddress.home(pageStart) && start <= pageStart &&
            pageStart - start < allocLength;
    }

    private boolean isPage(final long pageNumber)
    {
        return pageNumber >= 0 && pageNumber < pageLimit;
    }

    private static boolean isAddress(final long address)
    {
        return address >= 0 && GlobalAddress.home(address) < DsmMember.MAX_MEMBERS;
    }

    private boolean isPageHome(final int member)
    {
        return GlobalAddress.home(message.page() << pageShift) == member;
    }

    private void drop(final CoherenceDrop why, final int sender, final String detail)
    {
        if (1 == drops.incrementAndGet(why.ordinal()))
        {
            VirgoLog.warn("shared heap member " + self + " dropped a message " + why.description + " (sender " +
                (MemberLinks.NO_MEMBER == sender ? "unknown" : "member " + sender) + "): " + detail +
                "; further drops of this kind are only counted");
        }
    }
}
