package dev.virgo.runtime.log;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Found by the frame fuzzer (FrameFuzzIT): a refused HELLO's log line quoted the origin name and reply channel as
 * sent, so a forged HELLO wrote raw bytes, line breaks and terminal escapes into the node's log.
 */
class VirgoLogTest
{
    @Test
    void shouldEscapeControlCharactersSoThatALineFromTheNetworkStaysOneLine()
    {
        assertEquals("HELLO from origin 1 (evil\\u000a[virgo node] ready on x\\u001b[2J) refused",
            VirgoLog.printable("HELLO from origin 1 (evil\n[virgo node] ready on x\u001b[2J) refused"));
        assertEquals("a\\u0000b\\u007fc\\u0085d\\u2028e\\u202ef", VirgoLog.printable("a\u0000b\u007fc\u0085d\u2028e\u202ef"));
    }

    @Test
    void shouldLeaveOrdinaryTextAsItIs()
    {
        final String text = "origin Ärger (1f2e) replying to aeron:udp?endpoint=127.0.0.1:4000 \ufffd";
        assertSame(text, VirgoLog.printable(text));
        assertEquals("null", VirgoLog.printable(null));
    }

    @Test
    void shouldWriteOneLinePerEventWhateverTheMessageHolds()
    {
        final PrintStream original = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try
        {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            VirgoLog.init("node", false);
            VirgoLog.warn("first\nsecond\r\nthird");
            VirgoLog.error("fourth\n", null);
        }
        finally
        {
            System.setErr(original);
            VirgoLog.init("virgo", false);
        }
        final String[] lines = captured.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals(2, lines.length, captured.toString(StandardCharsets.UTF_8));
        assertEquals("[virgo node] WARNING: first\\u000asecond\\u000d\\u000athird", lines[0]);
        assertEquals("[virgo node] ERROR: fourth\\u000a", lines[1]);
    }
}
