package dev.virgo.runtime.graph;

import dev.virgo.api.heap.SharedMemory;
import dev.virgo.runtime.heap.HeapReferences;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.Reader;
import java.io.Writer;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channel;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionService;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import org.objenesis.instantiator.ObjectInstantiator;
import org.objenesis.strategy.InstantiatorStrategy;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * One Kryo configured for thread graphs, with the resolver and thread serializer it was built with. Not thread
 * safe; {@link GraphCodec} hands each one to a single caller at a time.
 * <p>
 * A Kryo caches class-name lookups and class registrations for its whole life, so it is bound to one class
 * loader ({@link #loader()}): it must never read bytes meant for another loader, and keeping it alive keeps that
 * loader's classes alive.
 */
final class GraphKryo
{
    /** Shared because it is stateless; see {@link LambdaClosureSerializer} for how it reads lambdas back. */
    private static final ClosureSerializer CLOSURES = new LambdaClosureSerializer();

    private final OfferCheckingClassResolver classes = new OfferCheckingClassResolver();
    private final Kryo kryo = new ViewRefusingKryo(classes);
    private final RecordingReferenceResolver resolver = new RecordingReferenceResolver();
    private final ThreadSerializer threads = new ThreadSerializer(this::encodingFinalState);
    private final ClassLoader loader;
    private boolean encodingFinalState;

    GraphKryo(final ClassLoader loader)
    {
        this.loader = loader;
        kryo.setClassLoader(loader);
        kryo.setRegistrationRequired(false);
        kryo.setReferences(true);
        kryo.setReferenceResolver(resolver);
        kryo.setAutoReset(false); // the resolver's id lists are read after the top-level call, then we reset
        kryo.setInstantiatorStrategy(new GraphInstantiatorStrategy());

        // A thread reads transient fields like any other, so they travel too; and synthetic ones, which are what
        // anonymous and inner classes captured (this$0, val$name): Kryo skips those by default.
        final FieldSerializer.FieldSerializerConfig fields = new FieldSerializer.FieldSerializerConfig();
        fields.setSerializeTransient(true);
        fields.setIgnoreSyntheticFields(false);
        kryo.setDefaultSerializer(new SerializerFactory.FieldSerializerFactory(fields));
        // Throwable.backtrace is transient VM state that must not travel; Throwables keep Kryo's default.
        kryo.addDefaultSerializer(Throwable.class, new SerializerFactory.FieldSerializerFactory());

        kryo.register(ClosureSerializer.Closure.class, CLOSURES);
        FactoryCollectionSerializers.register(kryo); // Kryo's own break the id order the merge aligns by
        WrapperCollectionSerializers.register(kryo); // Kryo cannot read java.util's private fields
        ConcurrentCollectionSerializers.register(kryo); // the origin writes them while other threads change them
        kryo.addDefaultSerializer(Thread.class, threads);
        kryo.addDefaultSerializer(SharedMemory.class, HeapReferences.MEMORY_SERIALIZER);

        refuse(ClassLoader.class, "class loaders belong to the JVM that made them");
        refuse(Socket.class, "sockets cannot be copied to another JVM");
        refuse(ServerSocket.class, "sockets cannot be copied to another JVM");
        refuse(DatagramSocket.class, "sockets cannot be copied to another JVM");
        refuse(Channel.class, "channels hold open files or connections that cannot be copied to another JVM");
        refuse(InputStream.class, "streams hold open files or connections that cannot be copied to another JVM");
        refuse(OutputStream.class, "streams hold open files or connections that cannot be copied to another JVM");
        refuse(Reader.class, "readers hold open files or connections that cannot be copied to another JVM");
        refuse(Writer.class, "writers hold open files or connections that cannot be copied to another JVM");
        refuse(RandomAccessFile.class, "open files cannot be copied to another JVM");
        refuseSynchronizers();
        refuse(Process.class, "processes belong to this JVM");
    }

    Kryo kryo()
    {
        return kryo;
    }

    RecordingReferenceResolver resolver()
    {
        return resolver;
    }

    ThreadSerializer threads()
    {
        return threads;
    }

    ClassLoader loader()
    {
        return loader;
    }

    /**
     * Binds the Kryo to a moved thread's offer until the next bind: what it writes is offered to the thread, and what
     * it reads may name only offered classes. Null (the node's side) checks nothing.
     */
    void offer(final ClassOffer offer)
    {
        classes.bind(offer);
    }

    /**
     * True while a node encodes (a release, a final state): a lock the node holds itself is refused
     * ({@link SynchronizerSerializers}).
     */
    void encodingFinalState(final boolean encodingFinalState)
    {
        this.encodingFinalState = encodingFinalState;
    }

    private boolean encodingFinalState()
    {
        return encodingFinalState;
    }

    /** Drops per-graph state so the next graph starts with fresh reference ids. */
    void reset()
    {
        encodingFinalState = false;
        kryo.reset();
        threads.clearAllowed();
    }

    /**
     * State that threads use to synchronize with each other while they run. The atomics, accumulators, field updaters,
     * VarHandles, locks, conditions, stamped locks, semaphores, latches, barriers, phasers and exchangers whose calls a
     * node carries to the origin are shared ({@link SynchronizerSerializers}, {@link AccumulatorSerializers},
     * {@link FieldUpdaterSerializers}, {@link VarHandleSerializers}), and so are the concurrent collections, the JDK's
     * blocking queues among them, whose updates a node also carries there ({@link ConcurrentCollectionSerializers},
     * registered before this). The others, whose state is this JVM's threads (executors, futures) or whose class may
     * block in ways of its own (other locks, a blocking queue of the program's own class), keep a thread that reaches
     * one where the other threads are.
     */
    private void refuseSynchronizers()
    {
        final String sync = " coordinates threads of this JVM; a copy would coordinate nothing";
        refuse(Lock.class, "a lock other than ReentrantLock and ReentrantReadWriteLock's" + sync);
        refuse(ReadWriteLock.class, "a lock other than ReentrantReadWriteLock" + sync);
        refuse(Condition.class, "a condition of a lock other than ReentrantLock and ReentrantReadWriteLock" + sync);
        refuse(AbstractOwnableSynchronizer.class, "a synchronizer" + sync);
        // The JDK's own blocking queues are written by ConcurrentCollectionSerializers, whose takes and puts a node
        // makes at the origin; any other (DelayQueue, a program's own) may block in ways its copy cannot.
        refuse(BlockingQueue.class, "a blocking queue other than the JDK's linked, array, priority, transfer and " +
            "synchronous ones" + sync);
        refuse(Executor.class, "executors run tasks on threads of this JVM");
        refuse(CompletionService.class, "a completion service hands results of this JVM's threads over");
        refuse(Future.class, "futures are completed by threads of this JVM");

        SynchronizerSerializers.register(kryo, () -> encodingFinalState);
        FieldUpdaterSerializers.register(kryo);
        AccumulatorSerializers.register(kryo);
        VarHandleSerializers.register(kryo);
    }

    private void refuse(final Class<?> type, final String reason)
    {
        kryo.addDefaultSerializer(type, new RefusingSerializer(reason));
    }

    /**
     * Refuses views of JDK collections and maps (a sub-list, a map's key set): Kryo would copy one into a detached
     * collection, or fail on the node. A predicate, not a registration per class, since views are many private
     * classes that differ between JDK versions.
     */
    private static final class ViewRefusingKryo extends Kryo
    {
        ViewRefusingKryo(final OfferCheckingClassResolver classes)
        {
            super(classes, null); // the reference resolver is set after, with references on
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Serializer getDefaultSerializer(final Class type)
        {
            if (WrapperCollectionSerializers.isView(type))
            {
                return new RefusingSerializer("a view of another collection or map cannot be copied as a view yet; " +
                    "keep the collection itself in the field");
            }
            // Kryo's own collection and map serializers iterate a collection the origin may be writing while the
            // program changes it: PlainCollectionSerializers writes one snapshot instead.
            return PlainCollectionSerializers.snapshotting(super.getDefaultSerializer(type));
        }
    }

    /**
     * Application objects are allocated without running a constructor: copying an object must not re-run the
     * program's side effects (counters, registrations, a start() in a constructor), neither on the node nor at the
     * origin when the merge reads the snapshot again. JDK classes and collections do need their constructor (an
     * ArrayList without one has no backing array), so they get Kryo's usual no-arg-constructor-first strategy.
     */
    private static final class GraphInstantiatorStrategy implements InstantiatorStrategy
    {
        private final InstantiatorStrategy withConstructor = new DefaultInstantiatorStrategy(new StdInstantiatorStrategy());
        private final InstantiatorStrategy withoutConstructor = new StdInstantiatorStrategy();

        @Override
        public <T> ObjectInstantiator<T> newInstantiatorOf(final Class<T> type)
        {
            final boolean needsConstructor = GraphTypes.isJdk(type) ||
                Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
            return needsConstructor ? withConstructor.newInstantiatorOf(type) : withoutConstructor.newInstantiatorOf(type);
        }
    }
}
