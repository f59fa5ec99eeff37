package dev.virgo.runtime.origin;

import dev.virgo.runtime.graph.GraphCodec;
import dev.virgo.runtime.graph.UnshippableGraphException;
import org.example.statics.StaticsFixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which statics travel with a thread, which class may stay per node, and why a thread is refused for its statics. */
class StaticFieldsTest
{
    private static final String FIXTURES = "org.example.statics.";

    private final Map<String, StaticFields.ClassStatics> statics = new HashMap<>();

    StaticFieldsTest()
    {
        final Runnable worker = StaticsFixtures.initializedWorker();
        for (final StaticFields.ClassStatics classStatics : new StaticFields().forRoots(List.of(worker.getClass())))
        {
            statics.put(classStatics.type.getSimpleName(), classStatics);
        }
    }

    @Test
    void shouldCollectTheStaticsOfInitializedClassesTheThreadCanNameButNotCompileTimeConstants()
    {
        assertEquals(
            Map.of("Table", 1, "Counters", 1, "Control", 1, "OnlyLoggers", 2, "LoggerNextToTable", 2,
                "MutableLogger", 2),
            Map.of("Table", fields("Table"), "Counters", fields("Counters"), "Control", fields("Control"),
                "OnlyLoggers", fields("OnlyLoggers"), "LoggerNextToTable", fields("LoggerNextToTable"),
                "MutableLogger", fields("MutableLogger")));
        assertArrayEquals(new String[] {"values"}, statics.get("Table").fieldNames());
    }

    @Test
    void shouldNotCarryTheOuterClassesStaticsOfANestedWorkerWhoseCodeDoesNotNameIt()
    {
        // The nested class names its outer class in InnerClasses and NestHost: that runs nothing, and following it
        // would make a Runnable nested in a main class carry everything the main class names (Table here).
        assertEquals(List.of(), typesFor(StaticsFixtures.quietNestedWorker()));
        assertEquals(List.of("Outer"), typesFor(StaticsFixtures.countingNestedWorker()));
    }

    private static List<String> typesFor(final Runnable worker)
    {
        final List<String> types = new ArrayList<>();
        for (final StaticFields.ClassStatics classStatics : new StaticFields().forRoots(List.of(worker.getClass())))
        {
            types.add(classStatics.type.getSimpleName());
        }
        return types;
    }

    @Test
    void shouldCarryTheCompilersStaticsOnlyWithTheProgramsOwn()
    {
        final StaticFields.ClassStatics asserting = statics.get("Asserting");
        assertArrayEquals(new String[] {"calls", "$assertionsDisabled"}, asserting.fieldNames());
        assertEquals(!asserting.type.desiredAssertionStatus(), asserting.read()[1], "this JVM's assertion status");
        assertFalse(statics.containsKey("AssertOnly"), "no statics of the program's: initialized on the node");
    }

    @Test
    void shouldLeaveOnlyAClassWhoseStaticsAreAllFinalLoggersToTheNode()
    {
        assertTrue(statics.get("OnlyLoggers").onlyLoggers());
        assertFalse(statics.get("LoggerNextToTable").onlyLoggers(), "its table would be reset");
        assertFalse(statics.get("MutableLogger").onlyLoggers(), "a non-final logger may have been replaced");
        assertFalse(statics.get("Table").onlyLoggers());
    }

    @Test
    void shouldNameTheStaticThatCannotTravelAndWhy()
    {
        assertEquals("static " + FIXTURES + "Counters.next holds java.util.concurrent.DelayQueue: a blocking queue " +
            "other than the JDK's linked, array, priority, transfer and synchronous ones coordinates threads of this " +
            "JVM; a copy would coordinate nothing", whyNotCopied("Counters", 0));

        final String logger = whyNotCopied("LoggerNextToTable", 0);
        assertTrue(logger.startsWith("static " + FIXTURES + "LoggerNextToTable.LOG holds java.util.logging.Logger, " +
            "a logger, which cannot be copied to another JVM; "), logger);
        assertTrue(logger.contains(FIXTURES + "LoggerNextToTable.tally must travel with the thread"), logger);

        assertTrue(whyNotCopied("MutableLogger", 0).endsWith(
            "it is not final, so the node cannot re-create it by running the class's initializer"));
        assertEquals(whyNotCopied("MutableLogger", 0), statics.get("MutableLogger").uncopyable(), "kept on the class");
        assertNull(statics.get("Table").uncopyable());
    }

    private int fields(final String simpleName)
    {
        return statics.get(simpleName).fields.length;
    }

    /** As the origin does when a snapshot fails: the codec's message for the one value, then the field's reason. */
    private String whyNotCopied(final String simpleName, final int field)
    {
        final StaticFields.ClassStatics classStatics = statics.get(simpleName);
        final Object value = classStatics.read()[field];
        final UnshippableGraphException ex = assertThrows(UnshippableGraphException.class, () ->
            new GraphCodec(1 << 20).snapshot(new Object[] {new Object[] {value}}, getClass().getClassLoader()));
        return classStatics.cannotTravel(field, value, ex.getMessage());
    }
}
