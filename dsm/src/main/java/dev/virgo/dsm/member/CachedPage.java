package dev.virgo.dsm.member;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.CompletableFuture;

/**
 * A member's copy of one page. {@code state} and {@code data} are read without a lock on the hit path; every change
 * of them, and every write into {@code data}, happens under the page's monitor. A grant always installs a new buffer
 * and an invalidated buffer is never written again, so a reader that loaded a buffer while its copy was valid reads
 * a value that was current at that moment.
 *
 * <p>Who writes what, always under the monitor: the {@link PageCache} changes the copy ({@code state}, {@code data},
 * the allocation's bounds) on the conductor, or on the thread reporting that the page's home left; {@link PageAccess}
 * writes into {@code data} on application threads; the {@link Requester} sets {@code pending} on a miss, and whatever
 * answers it (the page cache installing a grant or dropping the copy, the requester on a refusal) takes it in the
 * same monitor as it changes the copy, so a waiting thread wakes to the state that answered it.
 */
final class CachedPage
{
    static final int INVALID = 0;
    static final int SHARED = 1;
    static final int EXCLUSIVE = 2;

    final long page;
    volatile int state = INVALID;
    volatile UnsafeBuffer data;
    /** The allocation the page belongs to, as absolute addresses [allocStart, allocEnd): set by each grant. */
    volatile long allocStart;
    volatile long allocEnd;
    /** The one request this member has in flight for the page, completed with what was granted. */
    CompletableFuture<Grant> pending;
    /** Whether the request in flight asks for exclusive ownership. */
    boolean pendingExclusive;

    /** What a grant brought: the buffer and the bounds of its allocation, valid even once the page is evicted. */
    static final class Grant
    {
        final UnsafeBuffer data;
        final long allocStart;
        final long allocEnd;

        Grant(final UnsafeBuffer data, final long allocStart, final long allocEnd)
        {
            this.data = data;
            this.allocStart = allocStart;
            this.allocEnd = allocEnd;
        }
    }

    CachedPage(final long page)
    {
        this.page = page;
    }
}
