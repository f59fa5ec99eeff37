package dev.virgo.runtime.node;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RoutedPropertiesTest
{
    private final Properties node = new Properties();
    private final RoutedProperties routed = new RoutedProperties(node);

    RoutedPropertiesTest()
    {
        node.setProperty("java.home", "/node/jdk");
        node.setProperty("node.only", "n");
    }

    @Test
    void shouldAnswerAMovedThreadAndTheThreadsItStartsFromItsViewAndEveryOtherThreadFromTheNodes() throws Exception
    {
        final Properties base = new Properties();
        base.setProperty("java.home", "/node/jdk");
        base.setProperty("app.mode", "fast");
        final PropertiesView view = new PropertiesView(base);
        final List<String> seen = new ArrayList<>();

        runBound(view, () ->
        {
            seen.add(routed.getProperty("app.mode"));
            seen.add(routed.getProperty("node.only", "hidden"));
            routed.setProperty("app.mode", "slow");
            seen.add(routed.getProperty("app.mode"));
            final AtomicReference<String> child = new AtomicReference<>();
            final Thread started = new Thread(() -> child.set(routed.getProperty("app.mode")));
            started.start();
            join(started);
            seen.add(child.get());
        });

        assertEquals(List.of("fast", "hidden", "slow", "slow"), seen);
        assertEquals("fast", base.getProperty("app.mode"), "the shared base is never written");
        assertNull(routed.getProperty("app.mode"), "this thread is the node's: it sees the node's properties");
        assertNull(node.getProperty("app.mode"), "nor were they written");
        assertEquals("n", routed.getProperty("node.only"));
    }

    @Test
    void shouldKeepOneMovedThreadsWritesFromAnother() throws Exception
    {
        final Properties base = new Properties();
        final PropertiesView first = new PropertiesView(base);
        final PropertiesView second = new PropertiesView(base);
        final List<String> seen = new ArrayList<>();

        runBound(first, () -> routed.setProperty("app.owner", "first"));
        runBound(second, () -> seen.add(routed.getProperty("app.owner", "none")));
        runBound(first, () -> seen.add(routed.getProperty("app.owner")));

        assertEquals(List.of("none", "first"), seen);
    }

    @Test
    void shouldGoBackToThePropertiesItStartedWithOnSetPropertiesNull() throws Exception
    {
        final Properties base = new Properties();
        base.setProperty("app.mode", "fast");
        final PropertiesView view = new PropertiesView(base);
        final List<String> seen = new ArrayList<>();

        runBound(view, () ->
        {
            final Properties replaced = new Properties();
            replaced.setProperty("app.mode", "replaced");
            view.replace(replaced);
            seen.add(routed.getProperty("app.mode"));
            routed.remove("app.mode");
            seen.add(String.valueOf(replaced.getProperty("app.mode")));
            view.replace(null);
            seen.add(routed.getProperty("app.mode"));
            seen.add(String.valueOf(routed.stringPropertyNames()));
        });

        assertEquals(List.of("replaced", "null", "fast", "[app.mode]"), seen);
    }

    /** As a carrier runs a moved thread: the view bound on a fresh thread, as ThreadRunner binds it. */
    private static void runBound(final PropertiesView view, final Runnable body) throws Exception
    {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread carrier = new Thread(() ->
        {
            RoutedProperties.bind(view);
            try
            {
                body.run();
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        carrier.start();
        join(carrier);
        if (null != failure.get())
        {
            throw new AssertionError(failure.get());
        }
    }

    private static void join(final Thread thread)
    {
        try
        {
            thread.join(10_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive())
        {
            throw new AssertionError(thread + " did not end within 10 s");
        }
    }
}
