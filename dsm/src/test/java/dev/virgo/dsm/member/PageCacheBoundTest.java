package dev.virgo.dsm.member;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A member's cache of copies is bounded: it drops clean copies and fetches them again when needed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PageCacheBoundTest
{
    private static final int PAGE = 1024;
    private static final int BOUND = 8;

    @Test
    void shouldDropCleanCopiesBeyondTheBoundAndStillReadEveryValue()
    {
        try (Members cluster = new Members(2, PAGE, BOUND))
        {
            final DsmMember home = cluster.members[0];
            final DsmMember reader = cluster.members[1];
            final int pages = 100;
            final long base = home.malloc((long)pages * PAGE);
            for (int p = 0; p < pages; p++)
            {
                home.putLong(base + (long)p * PAGE, p * 7L);
            }
            for (int round = 0; round < 2; round++)
            {
                for (int p = 0; p < pages; p++)
                {
                    assertEquals(p * 7L, reader.getLong(base + (long)p * PAGE), "page " + p + " round " + round);
                    assertTrue(reader.cachedPages() <= BOUND, "cached " + reader.cachedPages() + " > " + BOUND);
                }
            }
            home.putLong(base, 1234);
            assertEquals(1234, reader.getLong(base), "a dropped copy is not read stale after a remote write");
        }
    }
}
