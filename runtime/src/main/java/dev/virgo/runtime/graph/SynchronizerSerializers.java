package dev.virgo.runtime.graph;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Exchanger;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BooleanSupplier;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * The java.util.concurrent objects a moved thread shares with its origin while it runs: atomics
 * ({@link AtomicSerializers}), locks and their conditions, stamped locks, semaphores, latches, barriers, phasers and
 * exchangers. Their home is the origin: on a node, every call the application makes on one is carried to the origin
 * and made there on the real object by the thread's shadow ({@code SyncContext#invoke}). Such an object's state is
 * threads waiting at the origin, not a value, so it travels as a fresh stand-in of the same class and parameters
 * (fairness, permits, count, parties) that keeps its identity in the shared table, and the merge never writes one, in
 * either direction.
 * <p>
 * Objects a thread created on its node and published (or left in its final state) arrive the same way and are adopted
 * at the origin as new objects: from then on the origin holds the real one. A lock the node holds itself (one it
 * created and locked before publishing it) cannot be handed over: refused with a clear reason. Only the exact JDK
 * classes: a subclass may hold state of its own that its value does not carry (it stays refused, the thread local).
 * <p>
 * Wire layout, after Kryo's class and reference header:
 * <pre>
 *   ReentrantLock, ReentrantReadWriteLock: fair:boolean   its read and write locks, a Condition: nothing
 *   StampedLock, Exchanger: nothing
 *   Semaphore: permits:varint fair:boolean  CountDownLatch: count:varlong  CyclicBarrier, Phaser: parties:varint
 * </pre>
 */
final class SynchronizerSerializers
{
    private SynchronizerSerializers()
    {
    }

    /** @param onNode true while a node encodes (a release, a final state): a lock the node itself holds is refused. */
    static void register(final Kryo kryo, final BooleanSupplier onNode)
    {
        AtomicSerializers.register(kryo);
        registerLocks(kryo, onNode);
        registerStampedLock(kryo, onNode);
        kryo.addDefaultSerializer(AbstractQueuedSynchronizer.ConditionObject.class,
            new ExactJdkSerializer<AbstractQueuedSynchronizer.ConditionObject>()
            {
                @Override
                void writeValue(final Kryo kryo, final Output output, final AbstractQueuedSynchronizer.ConditionObject o)
                {
                }

                @Override
                public AbstractQueuedSynchronizer.ConditionObject read(
                    final Kryo kryo,
                    final Input input,
                    final Class<? extends AbstractQueuedSynchronizer.ConditionObject> type)
                {
                    return (AbstractQueuedSynchronizer.ConditionObject)new ReentrantLock().newCondition();
                }
            });
        kryo.addDefaultSerializer(Semaphore.class, new ExactJdkSerializer<Semaphore>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final Semaphore object)
            {
                output.writeVarInt(object.availablePermits(), false);
                output.writeBoolean(object.isFair());
            }

            @Override
            public Semaphore read(final Kryo kryo, final Input input, final Class<? extends Semaphore> type)
            {
                final int permits = input.readVarInt(false);
                return new Semaphore(permits, input.readBoolean());
            }
        });
        kryo.addDefaultSerializer(CountDownLatch.class, new ExactJdkSerializer<CountDownLatch>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final CountDownLatch object)
            {
                output.writeVarLong(object.getCount(), true);
            }

            @Override
            public CountDownLatch read(final Kryo kryo, final Input input, final Class<? extends CountDownLatch> type)
            {
                return new CountDownLatch((int)Math.min(Integer.MAX_VALUE, input.readVarLong(true)));
            }
        });
        kryo.addDefaultSerializer(CyclicBarrier.class, new ExactJdkSerializer<CyclicBarrier>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final CyclicBarrier object)
            {
                output.writeVarInt(object.getParties(), true);
            }

            @Override
            public CyclicBarrier read(final Kryo kryo, final Input input, final Class<? extends CyclicBarrier> type)
            {
                return new CyclicBarrier(Math.max(1, input.readVarInt(true)));
            }
        });
        kryo.addDefaultSerializer(Exchanger.class, new ExactJdkSerializer<Exchanger<Object>>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final Exchanger<Object> object)
            {
            }

            @Override
            public Exchanger<Object> read(final Kryo kryo, final Input input, final Class<? extends Exchanger<Object>> type)
            {
                return new Exchanger<>();
            }
        });
        kryo.addDefaultSerializer(Phaser.class, new ExactJdkSerializer<Phaser>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final Phaser object)
            {
                output.writeVarInt(object.getRegisteredParties(), true);
            }

            @Override
            public Phaser read(final Kryo kryo, final Input input, final Class<? extends Phaser> type)
            {
                return new Phaser(Math.min(input.readVarInt(true), 65535));
            }
        });
    }

    private static void registerLocks(final Kryo kryo, final BooleanSupplier onNode)
    {
        kryo.addDefaultSerializer(ReentrantLock.class, new ExactJdkSerializer<ReentrantLock>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final ReentrantLock object)
            {
                if (onNode.getAsBoolean() && object.isLocked())
                {
                    throw new RefusedObjectException(object.getClass(), HELD);
                }
                output.writeBoolean(object.isFair());
            }

            @Override
            public ReentrantLock read(final Kryo kryo, final Input input, final Class<? extends ReentrantLock> type)
            {
                return new ReentrantLock(input.readBoolean());
            }
        });
        kryo.addDefaultSerializer(ReentrantReadWriteLock.class, new ExactJdkSerializer<ReentrantReadWriteLock>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final ReentrantReadWriteLock object)
            {
                if (onNode.getAsBoolean() && (object.isWriteLocked() || object.getReadLockCount() > 0))
                {
                    throw new RefusedObjectException(object.getClass(), HELD);
                }
                output.writeBoolean(object.isFair());
            }

            @Override
            public ReentrantReadWriteLock read(
                final Kryo kryo, final Input input, final Class<? extends ReentrantReadWriteLock> type)
            {
                return new ReentrantReadWriteLock(input.readBoolean());
            }
        });
        kryo.addDefaultSerializer(ReentrantReadWriteLock.ReadLock.class,
            new ExactJdkSerializer<ReentrantReadWriteLock.ReadLock>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final ReentrantReadWriteLock.ReadLock object)
            {
            }

            @Override
            public ReentrantReadWriteLock.ReadLock read(
                final Kryo kryo, final Input input, final Class<? extends ReentrantReadWriteLock.ReadLock> type)
            {
                return new ReentrantReadWriteLock().readLock();
            }
        });
        kryo.addDefaultSerializer(ReentrantReadWriteLock.WriteLock.class,
            new ExactJdkSerializer<ReentrantReadWriteLock.WriteLock>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final ReentrantReadWriteLock.WriteLock object)
            {
                if (onNode.getAsBoolean() && object.isHeldByCurrentThread())
                {
                    throw new RefusedObjectException(object.getClass(), HELD);
                }
            }

            @Override
            public ReentrantReadWriteLock.WriteLock read(
                final Kryo kryo, final Input input, final Class<? extends ReentrantReadWriteLock.WriteLock> type)
            {
                return new ReentrantReadWriteLock().writeLock();
            }
        });
    }

    /**
     * A stamped lock's stamps are numbers that any thread may hand back, so a node's thread holds the origin's lock
     * through stamps the origin gave it, and the stand-in is a fresh lock. Its views ({@code asReadLock()}...) are
     * locks of this JVM and stay refused ({@code GraphKryo}): a moved class that asks for one stays local.
     */
    private static void registerStampedLock(final Kryo kryo, final BooleanSupplier onNode)
    {
        kryo.addDefaultSerializer(StampedLock.class, new ExactJdkSerializer<StampedLock>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final StampedLock object)
            {
                if (onNode.getAsBoolean() && (object.isWriteLocked() || object.isReadLocked()))
                {
                    throw new RefusedObjectException(object.getClass(), HELD);
                }
            }

            @Override
            public StampedLock read(final Kryo kryo, final Input input, final Class<? extends StampedLock> type)
            {
                return new StampedLock();
            }
        });
    }

    private static final String HELD = "a lock this node holds itself (one the thread created and locked) cannot be " +
        "handed to the origin; unlock it before publishing it (a volatile write, a monitor exit) or ending the thread";
}
