package dev.virgo.dsm.member;

/**
 * Why a member dropped a coherence message that its inbox accepted (see {@link DsmMember#droppedMessageCount}). Frames
 * the inbox refused before they became messages (forged, replayed, of an unknown session) are counted apart, in
 * {@link DsmMember#refusedFrameCount()}.
 */
public enum CoherenceDrop
{
    /** Too short, of an unknown type or version, or with lengths that do not fit: see {@code CoherenceMessage}. */
    MALFORMED("malformed"),
    /** Came in plain frames, or under no linked member's keys: nobody vouches for who sent it. */
    UNAUTHENTICATED("not authenticated"),
    /** Says it is from a member other than the one whose key opened it. */
    FORGED_SENDER("from another member than its keys'"),
    /** Names a member, a page or an allocation outside the heap, or a page of another size. */
    OUT_OF_RANGE("out of range"),
    /**
     * A reply nothing waits for: a grant or refusal for no request in flight, an acknowledgement or fetched data the
     * home did not ask that member for, a home's command from a member that is not the page's home. A reply that
     * arrives after its transaction ended another way (a free, a member leaving) is counted here too.
     */
    UNSOLICITED("unsolicited");

    final String description;

    CoherenceDrop(final String description)
    {
        this.description = description;
    }
}
