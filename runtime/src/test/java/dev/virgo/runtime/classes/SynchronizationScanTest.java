package dev.virgo.runtime.classes;

import org.example.scan.SyncFixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the scan finds in code a thread can run, and what it must leave alone (fixtures in org.example.scan). */
class SynchronizationScanTest
{
    private static final String FIXTURES = "org.example.scan.";

    private final SynchronizationScan scan = new SynchronizationScan();

    @Test
    void shouldFindNothingInForkJoinWorkThatUsesTheJdksSynchronizedClassesPrivately() throws Exception
    {
        assertNull(scan.reachableFrom(fixture("PlainWorker")));
    }

    @Test
    void shouldNameTheMethodThatEntersAMonitor() throws Exception
    {
        assertEquals(FIXTURES + "MonitorBlock.run synchronizes on a monitor (monitorenter)",
            scan.reachableFrom(fixture("MonitorBlock")));
    }

    @Test
    void shouldFollowCallsToASynchronizedMethod() throws Exception
    {
        assertEquals(FIXTURES + "Helpers.addUnderClassLock is a synchronized method",
            scan.reachableFrom(fixture("CallsSynchronizedHelper")));
    }

    @Test
    void shouldFindNotifyAndWait() throws Exception
    {
        assertEquals(FIXTURES + "Helpers.signal calls Object.notifyAll", scan.reachableFrom(fixture("Notifier")));
        assertEquals(FIXTURES + "Helpers.pause calls Object.wait", scan.reachableFrom(fixture("Waiter")));
    }

    @Test
    void shouldFindTheBodyOfALambdaCreatedInRun() throws Exception
    {
        final String site = scan.reachableFrom(fixture("LambdaInside"));
        assertNotNull(site);
        assertTrue(site.startsWith(FIXTURES + "LambdaInside.lambda$run$") &&
            site.endsWith(" synchronizes on a monitor (monitorenter)"), site);
    }

    @Test
    void shouldScanALambdaRootFromItsImplementationMethod()
    {
        final String site = scan.reachableFrom(SyncFixtures.lockingLambda(new long[1]));
        assertNotNull(site);
        assertTrue(site.startsWith(SyncFixtures.class.getName() + ".lambda$lockingLambda$") &&
            site.endsWith(" synchronizes on a monitor (monitorenter)"), site);
        assertNull(scan.reachableFrom(SyncFixtures.plainLambda(new long[1])));
    }

    @Test
    void shouldResolveAnInterfaceCallToEveryImplementationTheCodeCanName() throws Exception
    {
        assertEquals(FIXTURES + "LockingTask.execute is a synchronized method",
            scan.reachableFrom(fixture("Dispatcher", Class.forName(FIXTURES + "Task"), quietTask())));
    }

    @Test
    void shouldFindAVolatileStaticButNotAPlainOne() throws Exception
    {
        assertEquals(FIXTURES + "FlagReader.run reads volatile static field " + FIXTURES + "Flags.stop",
            scan.reachableFrom(fixture("FlagReader")));
        assertNull(scan.reachableFrom(fixture("PlainStaticReader")));
    }

    @Test
    void shouldFindParkingAndVarHandleAtomics() throws Exception
    {
        assertEquals(FIXTURES + "Parker.run calls LockSupport.parkNanos", scan.reachableFrom(fixture("Parker")));
        assertEquals(FIXTURES + "CompareAndSetter.run calls VarHandle.compareAndSet",
            scan.reachableFrom(fixture("CompareAndSetter")));
    }

    @Test
    void shouldNotTakeASpinWaitForSynchronization() throws Exception
    {
        // What a loop spins on decides: a volatile or an atomic is refused as such, Virgo's shared heap is coherent.
        assertNull(scan.reachableFrom(fixture("Spinner")));
    }

    @Test
    void shouldFindARunInheritedFromAnApplicationSuperclass() throws Exception
    {
        assertEquals(FIXTURES + "BaseLoop.run is a synchronized method", scan.reachableFrom(fixture("InheritsRun")));
    }

    @Test
    void shouldSeeEveryMethodOfAClassForObjectsOfTheGraph() throws Exception
    {
        final Class<?> worker = Class.forName(FIXTURES + "PlainWorker");
        assertNull(scan.reachableFrom(fixture("PlainWorker")), "run() does not call it");
        assertEquals(FIXTURES + "PlainWorker.snapshotOfSum is a synchronized method", scan.declaredIn(worker));
        assertNull(scan.declaredIn(Class.forName(FIXTURES + "QuietTask")));
    }

    @Test
    void shouldNotScanTheJdk()
    {
        assertNull(scan.declaredIn(StringBuffer.class));
        assertNull(scan.reachableFrom(new Thread()));
    }

    @Test
    void shouldDecideOncePerClass() throws Exception
    {
        final String first = scan.reachableFrom(fixture("MonitorBlock"));
        assertSame(first, scan.reachableFrom(fixture("MonitorBlock")));
        final Runnable lambda = SyncFixtures.lockingLambda(new long[1]);
        assertSame(scan.reachableFrom(lambda), scan.reachableFrom(SyncFixtures.lockingLambda(new long[2])));
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
