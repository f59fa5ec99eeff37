package dev.virgo.runtime.log;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogThrottleTest
{
    private static final long WINDOW_NS = TimeUnit.SECONDS.toNanos(5);

    private final List<String> lines = new ArrayList<>();
    private long nowNs = 1_000;
    private final LogThrottle throttle = new LogThrottle("refused frames", 3, WINDOW_NS, () -> nowNs, lines::add);

    @Test
    void shouldWriteABoundedNumberOfLinesForAFloodAndCountTheRest()
    {
        for (int i = 0; i < 1_000_000; i++)
        {
            throttle.log("refused #" + i);
        }
        assertEquals(List.of("refused #0", "refused #1", "refused #2"), lines);
        assertEquals(1_000_000, throttle.total());

        nowNs += WINDOW_NS;
        assertEquals(1, throttle.poll(), "the window is over: its summary is written");
        assertEquals(4, lines.size());
        assertEquals("refused frames: 999997 more not shown in the last 5000 ms (1000000 in all)", lines.get(3));
        assertEquals(0, throttle.poll(), "nothing more to summarize");
        assertEquals(4, lines.size());
    }

    @Test
    void shouldShowEveryLineWhileUnderTheBurst()
    {
        throttle.log("a");
        throttle.log("b");
        nowNs += WINDOW_NS;
        assertEquals(0, throttle.poll(), "nothing was suppressed, so no summary");
        throttle.log("c");
        throttle.log("d");
        throttle.log("e");
        assertEquals(List.of("a", "b", "c", "d", "e"), lines);
    }

    @Test
    void shouldSummarizeAtTheNextEventAfterTheWindowAndStartANewBurst()
    {
        for (int i = 0; i < 10; i++)
        {
            throttle.log("x" + i);
        }
        nowNs += WINDOW_NS + 1;
        assertTrue(throttle.log("y"), "a new window shows lines again");
        assertEquals(List.of("x0", "x1", "x2",
            "refused frames: 7 more not shown in the last 5000 ms (11 in all)", "y"), lines);
    }

    @Test
    void shouldHoldBackTheSummaryUntilTheWindowEnds()
    {
        for (int i = 0; i < 5; i++)
        {
            throttle.log("x" + i);
        }
        nowNs += WINDOW_NS - 1;
        assertEquals(0, throttle.poll());
        assertFalse(throttle.log("late"), "still the same window: counted, not shown");
        assertEquals(3, lines.size());
    }

    @Test
    void shouldRefuseAThrottleThatShowsNothing()
    {
        assertThrows(IllegalArgumentException.class, () -> new LogThrottle("x", 0, WINDOW_NS, () -> 0, lines::add));
        assertThrows(IllegalArgumentException.class, () -> new LogThrottle("x", 1, 0, () -> 0, lines::add));
    }
}
