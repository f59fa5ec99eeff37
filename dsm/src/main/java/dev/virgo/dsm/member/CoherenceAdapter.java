package dev.virgo.dsm.member;

import dev.virgo.dsm.protocol.CoherenceMessage;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.transport.MessageHandler;
import dev.virgo.runtime.wire.MalformedMessageException;
import org.agrona.DirectBuffer;

/**
 * Decodes each coherence message that arrives at this member and hands it to the role it is for: requests, fetched
 * data and acknowledgements to the {@link PageHome}; grants, refusals and free acknowledgements to the
 * {@link Requester} that waits for them; the home's invalidations and fetches to the {@link PageCache}. A malformed
 * message is counted, logged and dropped.
 *
 * <p>Threads: the conductor only, through {@link MemberLinks#poll}.
 */
final class CoherenceAdapter implements MessageHandler
{
    private final int self;
    private final PageCache pages;
    private final Requester requester;
    private final PageHome home;
    private final CoherenceMessage message = new CoherenceMessage();
    private long malformedCount;

    CoherenceAdapter(final int self, final PageCache pages, final Requester requester, final PageHome home)
    {
        this.self = self;
        this.pages = pages;
        this.requester = requester;
        this.home = home;
    }

    @Override
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            message.wrap(buffer, offset, length);
        }
        catch (final MalformedMessageException ex)
        {
            malformedCount++;
            VirgoLog.warn("shared heap member " + self + " dropped malformed message #" + malformedCount + ": " +
                ex.getMessage());
            return;
        }
        switch (message.type())
        {
            case CoherenceMessage.READ: home.onRequest(message.page(), message.from(), false); break;
            case CoherenceMessage.WRITE: home.onRequest(message.page(), message.from(), true); break;
            case CoherenceMessage.DATA: requester.onGrant(message); break;
            case CoherenceMessage.INVALIDATE:
                pages.onInvalidate(message.page(), message.from(), message.correlation());
                break;
            case CoherenceMessage.INVALIDATE_ACK:
                home.onInvalidateAck(message.page(), message.from(), message.correlation());
                break;
            case CoherenceMessage.FETCH:
                pages.onFetch(message.page(), message.from(), message.invalidate(), message.correlation());
                break;
            case CoherenceMessage.FETCH_REPLY:
                home.onFetchReply(message.page(), message.from(), message.correlation(), message);
                break;
            case CoherenceMessage.NACK:
                requester.onNack(message.page(), message.correlation(), message.reason());
                break;
            case CoherenceMessage.FREE: home.onFree(message.correlation(), message.from()); break;
            case CoherenceMessage.FREE_ACK: requester.onFreeAck(message.correlation()); break;
            default: break;
        }
    }
}
