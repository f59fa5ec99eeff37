package dev.virgo.runtime.classes;

import org.example.scan.SyncFixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the scan finds in code a thread can run, and what it must leave alone (fixtures in org.example.scan). */
class CodeScanTest
{
    private static final String FIXTURES = "org.example.scan.";

    private final CodeScan scan = new CodeScan();

    @Test
    void shouldFindNothingInForkJoinWorkThatUsesTheJdksSynchronizedClassesPrivately() throws Exception
    {
        assertNull(siteFrom(fixture("PlainWorker")));
    }

    @Test
    void shouldNameTheMethodThatEntersAMonitor() throws Exception
    {
        assertEquals(FIXTURES + "MonitorBlock.run synchronizes on a monitor (monitorenter)",
            siteFrom(fixture("MonitorBlock")));
    }

    @Test
    void shouldFollowCallsToASynchronizedMethod() throws Exception
    {
        assertEquals(FIXTURES + "Helpers.addUnderClassLock is a synchronized method",
            siteFrom(fixture("CallsSynchronizedHelper")));
    }

    @Test
    void shouldFindNotifyAndWait() throws Exception
    {
        assertEquals(FIXTURES + "Helpers.signal calls Object.notifyAll", siteFrom(fixture("Notifier")));
        assertEquals(FIXTURES + "Helpers.pause calls Object.wait", siteFrom(fixture("Waiter")));
    }

    @Test
    void shouldFindTheBodyOfALambdaCreatedInRun() throws Exception
    {
        final String site = siteFrom(fixture("LambdaInside"));
        assertNotNull(site);
        assertTrue(site.startsWith(FIXTURES + "LambdaInside.lambda$run$") &&
            site.endsWith(" synchronizes on a monitor (monitorenter)"), site);
    }

    @Test
    void shouldScanALambdaRootFromItsImplementationMethod()
    {
        final String site = siteFrom(SyncFixtures.lockingLambda(new long[1]));
        assertNotNull(site);
        assertTrue(site.startsWith(SyncFixtures.class.getName() + ".lambda$lockingLambda$") &&
            site.endsWith(" synchronizes on a monitor (monitorenter)"), site);
        assertNull(siteFrom(SyncFixtures.plainLambda(new long[1])));
    }

    @Test
    void shouldResolveAnInterfaceCallToEveryImplementationTheCodeCanName() throws Exception
    {
        assertEquals(FIXTURES + "LockingTask.execute is a synchronized method",
            siteFrom(fixture("Dispatcher", Class.forName(FIXTURES + "Task"), quietTask())));
    }

    @Test
    void shouldFindAVolatileStaticButNotAPlainOne() throws Exception
    {
        assertEquals(FIXTURES + "FlagReader.run reads volatile static field " + FIXTURES + "Flags.stop",
            siteFrom(fixture("FlagReader")));
        assertNull(siteFrom(fixture("PlainStaticReader")));
    }

    @Test
    void shouldFindParkingAndVarHandleAtomics() throws Exception
    {
        assertEquals(FIXTURES + "Parker.run calls LockSupport.parkNanos", siteFrom(fixture("Parker")));
        assertEquals(FIXTURES + "CompareAndSetter.run calls VarHandle.compareAndSet",
            siteFrom(fixture("CompareAndSetter")));
    }

    @Test
    void shouldNotTakeASpinWaitForSynchronization() throws Exception
    {
        // What a loop spins on decides: a volatile or an atomic is refused as such, Virgo's shared heap is coherent.
        assertNull(siteFrom(fixture("Spinner")));
    }

    @Test
    void shouldFindARunInheritedFromAnApplicationSuperclass() throws Exception
    {
        assertEquals(FIXTURES + "BaseLoop.run is a synchronized method", siteFrom(fixture("InheritsRun")));
    }

    @Test
    void shouldSeeEveryMethodOfAClassForObjectsOfTheGraph() throws Exception
    {
        final Class<?> worker = Class.forName(FIXTURES + "PlainWorker");
        assertNull(siteFrom(fixture("PlainWorker")), "run() does not call it");
        assertEquals(FIXTURES + "PlainWorker.snapshotOfSum is a synchronized method",
            scan.declaredIn(worker).synchronizationSite());
        assertNull(scan.declaredIn(Class.forName(FIXTURES + "QuietTask")).synchronizationSite());
    }

    @Test
    void shouldNotScanTheJdk()
    {
        assertNull(scan.declaredIn(StringBuffer.class).synchronizationSite());
        assertNull(siteFrom(new Thread()));
    }

    @Test
    void shouldDecideOncePerClass() throws Exception
    {
        final CodeScan.Findings first = scan.reachableFrom(fixture("MonitorBlock"));
        assertSame(first, scan.reachableFrom(fixture("MonitorBlock")));
        final Runnable lambda = SyncFixtures.lockingLambda(new long[1]);
        assertSame(scan.reachableFrom(lambda), scan.reachableFrom(SyncFixtures.lockingLambda(new long[2])));
    }

    @Test
    void shouldNoteWhoseStaticsTheCodeUsesThroughItsCallsAndTheObjectsItCreates() throws Exception
    {
        final CodeScan.Findings reader = scan.reachableFrom(fixture("StaticsUser"));
        assertNull(reader.synchronizationSite());
        assertTrue(reader.usesStaticsOf(Class.forName(FIXTURES + "Flags")), "read in a method it calls");
        assertTrue(reader.usesStaticsOf(Class.forName(FIXTURES + "Settings")), "read by an object it creates");
        assertFalse(reader.usesStaticsOf(Class.forName(FIXTURES + "Unrelated")), "named, never read");
        assertTrue(scan.declaredIn(Class.forName(FIXTURES + "ByLength")).usesStaticsOf(
            Class.forName(FIXTURES + "Settings")), "a graph object's own methods");
    }

    @Test
    void shouldTakeEveryMethodOfAnObjectTheCodeCreatesAsReachable() throws Exception
    {
        assertEquals(FIXTURES + "CountingComparator.compare is a synchronized method",
            siteFrom(fixture("SortsWithACallback")));
    }

    @Test
    void shouldKeepMonitorsWaitNotifyAndVolatilesWhenObjectsAreShared() throws Exception
    {
        final CodeScan sharing = new CodeScan(true);
        for (final String kept : new String[] {"MonitorBlock", "CallsSynchronizedHelper", "Notifier", "Waiter",
            "FlagReader", "InheritsRun"})
        {
            assertNull(sharing.reachableFrom(fixture(kept)).synchronizationSite(), kept);
        }
        assertEquals(FIXTURES + "Parker.run calls LockSupport.parkNanos",
            sharing.reachableFrom(fixture("Parker")).synchronizationSite());
        assertNull(sharing.reachableFrom(fixture("CompareAndSetter")).synchronizationSite(),
            "a VarHandle kept in a static is made at the origin; its accesses are carried there");
        assertEquals(FIXTURES + "HandleMaker.run calls MethodHandles.Lookup.findVarHandle outside a static " +
            "initializer (made on a node, it would update copies)",
            sharing.reachableFrom(fixture("HandleMaker")).synchronizationSite());
        assertEquals(FIXTURES + "UpdaterMaker.run calls AtomicIntegerFieldUpdater.newUpdater outside a static " +
            "initializer (made on a node, it would update copies)",
            sharing.reachableFrom(fixture("UpdaterMaker")).synchronizationSite());
        assertEquals(FIXTURES + "LocksThenParks.run calls LockSupport.parkNanos",
            sharing.reachableFrom(fixture("LocksThenParks")).synchronizationSite(),
            "a monitor before it does not hide the park");
        assertNull(sharing.reachableFrom(fixture("WordCounter", java.util.concurrent.ConcurrentHashMap.class,
            new java.util.concurrent.ConcurrentHashMap<String, Integer>())).synchronizationSite(),
            "a concurrent map's atomic update is made at the origin, where the map is");
        assertNull(sharing.reachableFrom(fixture("StampedPoint")).synchronizationSite(),
            "a stamped lock's stamps are the origin lock's");
        assertEquals(FIXTURES + "StampedViewLocker.run calls StampedLock.asWriteLock, a view of this JVM's lock",
            sharing.reachableFrom(fixture("StampedViewLocker")).synchronizationSite());
        assertTrue(sharing.reachableFrom(fixture("FlagReader")).usesStaticsOf(Class.forName(FIXTURES + "Flags")),
            "the scan goes on past the kept sites, so the statics it reports are complete");
    }

    private String siteFrom(final Object runnable)
    {
        return scan.reachableFrom(runnable).synchronizationSite();
    }

    private static Object quietTask() throws Exception
    {
        return fixture("QuietTask");
    }

    private static Object fixture(final String simpleName, final Object... arguments) throws Exception
    {
        final Class<?>[] types = new Class<?>[arguments.length];
        for (int i = 0; i < arguments.length; i++)
        {
            types[i] = arguments[i].getClass();
        }
        return fixture(simpleName, types, arguments);
    }

    private static Object fixture(final String simpleName, final Class<?> type, final Object argument) throws Exception
    {
        return fixture(simpleName, new Class<?>[] {type}, new Object[] {argument});
    }

    private static Object fixture(final String simpleName, final Class<?>[] types, final Object[] arguments)
        throws Exception
    {
        final java.lang.reflect.Constructor<?> constructor =
            Class.forName(FIXTURES + simpleName).getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return constructor.newInstance(arguments);
    }
}
