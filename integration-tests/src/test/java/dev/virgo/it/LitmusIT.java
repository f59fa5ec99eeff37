package dev.virgo.it;

import dev.virgo.it.apps.litmus.LitmusApp;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The Java memory model's promises across three JVMs (the origin and two local nodes): message passing through a
 * {@code volatile} and through {@code synchronized}, store buffering (Dekker) and IRIW with {@code volatile}s, and
 * coherence of one {@code volatile} location. Each test races its threads on increasing values with no barrier
 * between rounds, 10,000 rounds; it checks every observation against what the JMM forbids, that the threads ran on
 * three JVMs, and that they raced (the readers saw values written while they ran). See {@link LitmusApp}.
 */
@ExtendWith(VirgoTestLogs.class)
class LitmusIT
{
    private static final int ROUNDS = 10_000;
    private static final String AGENT_ARGS = "offload=" + LitmusApp.class.getName() + "$Moved*";

    static Stream<Arguments> runs()
    {
        final List<Arguments> runs = new ArrayList<>();
        for (final String test : List.of("mp-volatile", "mp-synchronized", "sb-volatile", "iriw-volatile", "corr-volatile"))
        {
            for (final Jdk jdk : Jdk.available())
            {
                runs.add(Arguments.of(test, jdk));
            }
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("runs")
    void shouldNeverShowAnOutcomeTheJavaMemoryModelForbids(final String test, final Jdk jdk)
    {
        final String output = Virgo.assertSucceeded(
            Virgo.origin(jdk, AGENT_ARGS, LitmusApp.class, test, Integer.toString(ROUNDS)));
        assertFalse(output.contains("runs locally"), "every Moved* thread moved: " + output);
        final List<String> checks = new ArrayList<>();
        for (final String line : output.split("\\R"))
        {
            if (line.startsWith("CHECK "))
            {
                checks.add(line);
            }
        }
        final long expected = switch (test)
        {
            case "sb-volatile", "iriw-volatile" -> 3; // three-jvms, no-forbidden-outcome, raced
            default -> 5; // three-jvms, and both checks for each of two readers
        };
        assertFalse(checks.size() < expected, "every check ran: " + checks);
    }
}
