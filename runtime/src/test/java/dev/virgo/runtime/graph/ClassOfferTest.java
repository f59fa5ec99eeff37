package dev.virgo.runtime.graph;

import java.math.BigDecimal;
import java.net.URL;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Timer;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import dev.virgo.api.VirgoException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a node sends back may name only classes the origin offered its thread: classes it wrote to the thread,
 * application classes their code names, vetted JDK values and containers. Anything else stops the decode before an
 * object of it is made, and nothing is written.
 */
class ClassOfferTest
{
    private static final ClassLoader LOADER = ClassOfferTest.class.getClassLoader();

    private final GraphCodec codec = new GraphCodec(1 << 20);

    private byte[] runOnNode(final Snapshot snapshot, final Consumer<OfferedWorker> thread)
    {
        final Image image = codec.read(snapshot.bytes(), LOADER);
        thread.accept((OfferedWorker)image.roots()[0]);
        return image.finalState();
    }

    @Test
    void shouldAdoptAnApplicationClassTheThreadsCodeNames()
    {
        final OfferedWorker worker = new OfferedWorker();
        final Snapshot snapshot = codec.snapshot(new Object[]{worker}, LOADER);

        snapshot.mergeBack(runOnNode(snapshot, OfferedWorker::run));

        assertEquals(42, ((OfferedPart)worker.result).value);
    }

    @Test
    void shouldRefuseAJdkClassThatIsNoValueOrContainerAndWriteNothing()
    {
        final OfferedWorker worker = new OfferedWorker();
        final Snapshot snapshot = codec.snapshot(new Object[]{worker}, LOADER);
        snapshot.classOffer().describe("thread 'w' (id 7) on node-2");

        final byte[] finalState = runOnNode(snapshot, copy -> copy.result = new ProcessBuilder("true"));
        final UnofferedClassException refused =
            assertThrows(UnofferedClassException.class, () -> snapshot.mergeBack(finalState));

        assertEquals("java.lang.ProcessBuilder", refused.className());
        assertTrue(refused.getMessage().startsWith(
            "java.lang.ProcessBuilder is not offered to thread 'w' (id 7) on node-2: it is a JDK class that is not " +
            "a vetted value or container"), refused.getMessage());
        assertNull(worker.result, "nothing merged");
    }

    @Test
    void shouldRefuseAnApplicationClassNoOfferedCodeNames()
    {
        final OfferedWorker worker = new OfferedWorker();
        final Snapshot snapshot = codec.snapshot(new Object[]{worker}, LOADER);
        final Object gadget = new NeverOffered();

        final byte[] finalState = runOnNode(snapshot, copy -> copy.result = List.of("fine", gadget));
        final UnofferedClassException refused =
            assertThrows(UnofferedClassException.class, () -> snapshot.mergeBack(finalState));

        assertEquals(NeverOffered.class.getName(), refused.className());
        assertNull(worker.result, "nothing merged, not even the list around it");
    }

    @Test
    void shouldAllowAnyClassTheOriginItselfWroteToTheThread()
    {
        final OfferedWorker worker = new OfferedWorker();
        worker.result = new ProcessBuilder("first");
        final Snapshot snapshot = codec.snapshot(new Object[]{worker}, LOADER);

        snapshot.mergeBack(runOnNode(snapshot, copy -> copy.result = new ProcessBuilder("second")));

        assertEquals(List.of("second"), ((ProcessBuilder)worker.result).command());
    }

    @Test
    void shouldAdoptJdkValuesAndContainersTheNodeMade()
    {
        final OfferedWorker worker = new OfferedWorker();
        final Snapshot snapshot = codec.snapshot(new Object[]{worker}, LOADER);

        snapshot.mergeBack(runOnNode(snapshot, copy ->
        {
            final HashMap<Object, Object> made = new HashMap<>();
            made.put("list", new ArrayList<>(List.of(1, 2L, 3.0)));
            made.put("immutable", List.of(BigDecimal.ONE, "one"));
            made.put("unmodifiable", Collections.unmodifiableList(new ArrayList<>(List.of("a"))));
            made.put("sorted", new TreeMap<>(Map.of("k", LocalDate.of(2026, 1, 2))));
            made.put("concurrent", new ConcurrentHashMap<>(Map.of(TimeUnit.SECONDS, new AtomicLong(5))));
            made.put("arrays", new Object[]{new int[]{1}, new String[][]{{"x"}}});
            copy.result = made;
        }));

        final Map<?, ?> merged = (Map<?, ?>)worker.result;
        assertEquals(6, merged.size());
        assertEquals(5L, ((AtomicLong)((Map<?, ?>)merged.get("concurrent")).get(TimeUnit.SECONDS)).get());
    }

    @Test
    void shouldRefuseInASynchronizationReleaseAsInAFinalState()
    {
        final OfferedWorker worker = new OfferedWorker();
        worker.result = new ArrayList<>();
        final Snapshot snapshot = codec.snapshot(new Object[]{worker}, LOADER);
        final HomeGraph home = new HomeGraph(snapshot);
        final Image node = codec.read(snapshot.bytes(), LOADER);
        final Object gadget = new NeverOffered();
        @SuppressWarnings("unchecked")
        final List<Object> copy = (List<Object>)((OfferedWorker)node.roots()[0]).result;
        copy.add(gadget);

        final byte[] release = node.release();
        assertThrows(UnofferedClassException.class, () -> home.release(release, "test", warning -> { }, () -> { }));

        assertEquals(List.of(), worker.result, "nothing merged");
    }

    @Test
    void shouldRebuildAnExceptionOfAClassNotOfferedAsARemoteThrowableSayingWhy()
    {
        final Snapshot snapshot = codec.snapshot(new Object[]{new OfferedWorker()}, LOADER);
        final byte[] thrown = codec.encodeThrowable(new NeverOffered());

        final Throwable rebuilt = codec.decodeThrowable(thrown, LOADER, snapshot.classOffer());

        final RemoteThrowable remote = assertInstanceOf(RemoteThrowable.class, rebuilt);
        assertEquals(NeverOffered.class.getName(), remote.remoteClassName());
        assertInstanceOf(UnofferedClassException.class, remote.getSuppressed()[0]);
        assertInstanceOf(NeverOffered.class, codec.decodeThrowable(thrown, LOADER), "a node trusts the origin");
    }

    @Test
    void shouldDecideJdkClassesByWhetherTheyArePlainValuesAndContainers()
    {
        final ClassOffer offer = new ClassOffer();

        for (final Class<?> refused : new Class<?>[]{Timer.class, URL.class, Timer[].class, ProcessBuilder.class,
            Thread.class, ClassLoader.class, javax.script.ScriptEngineManager.class})
        {
            assertNotNull(offer.refusal(refused), refused.getName());
        }
        for (final Class<?> allowed : new Class<?>[]{Object.class, Integer.class, String[][].class, long[].class,
            HashMap.class, List.of().getClass(), List.of(1, 2, 3).getClass(), Collections.emptyMap().getClass(),
            Collections.synchronizedList(new ArrayList<>()).getClass(), ConcurrentHashMap.class, AtomicLong.class,
            ReentrantLock.class, TimeUnit.class, LocalDate.class, BigDecimal.class, Optional.class,
            IllegalStateException.class, Collections.reverseOrder().getClass()})
        {
            assertNull(offer.refusal(allowed), allowed.getName());
        }
    }

    @Test
    void shouldTellANodeRefusalFromOtherDecodeFailures()
    {
        final Snapshot snapshot = codec.snapshot(new Object[]{new OfferedWorker()}, LOADER);

        final VirgoException garbage =
            assertThrows(VirgoException.class, () -> snapshot.mergeBack(new byte[]{1, 2, 3}));

        assertFalse(garbage instanceof UnofferedClassException, garbage.toString());
    }
}
