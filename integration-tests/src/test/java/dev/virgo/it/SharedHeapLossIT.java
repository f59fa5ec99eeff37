package dev.virgo.it;

import dev.virgo.it.apps.HeapNodeLossApp;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A node that leaves takes its part of the shared heap with it: a clear error, never a hang, and the rest works. */
@ExtendWith(VirgoTestLogs.class)
class SharedHeapLossIT
{
    private static final Pattern NODE_PID = Pattern.compile("allocated remotely pid=(\\d+)");

    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldFailAccessesToMemoryOfALostNodeNamingPageAndNode(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.HeapNodeLossApp*,nodeTimeoutMs=1000",
            HeapNodeLossApp.class);
        final String line = origin.awaitOutput("allocated remotely pid=", Duration.ofSeconds(60));
        final Matcher matcher = NODE_PID.matcher(line);
        if (!matcher.find())
        {
            fail("no node pid in: " + line);
        }
        final long nodePid = Long.parseLong(matcher.group(1));
        assertTrue(Virgo.nodesOf(origin.pid()).stream().anyMatch(node -> node.pid() == nodePid),
            "the allocator ran on a local node of this origin");
        ProcessHandle.of(nodePid).ifPresent(ProcessHandle::destroyForcibly);
        final String output = Virgo.assertSucceeded(origin);
        assertTrue(output.contains("CHECK remote-readable ok"), "the origin read memory homed at the node");
        assertTrue(output.contains("CHECK lost-home-named ok"), "the error names the page and the node");
        assertTrue(output.contains("CHECK survivors-work ok"), "the other node and the origin's memory still work");
    }
}
