package dev.virgo.runtime.heap;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.virgo.api.heap.SharedHeap;
import dev.virgo.api.heap.SharedMemory;

/**
 * Shared-heap objects in a moved thread's graph travel as references, not copies.
 *
 * <p>Every heap object (a {@code SharedLongArray}, a {@code SharedLock}...) is an address (and a length) plus the
 * {@link SharedMemory} it reaches the heap through. The address and length are plain fields and are copied as they
 * are; the {@link SharedMemory} is written as nothing and read back as {@link SharedHeap#memory()} of the JVM and
 * thread that reads the graph: on a node, the node's member of the heap of the thread's origin; at the origin (the
 * merge after join), the origin's own. So a view that travels names the same memory on both sides, and a lock's holder
 * is the member the thread runs on. The merge leaves heap objects alone: they hold nothing of their own to write back.
 */
public final class HeapReferences
{
    private static final String API_PACKAGE = "dev.virgo.api.heap.";
    /** Asked for every object a merge visits: answered once per class. */
    private static final ClassValue<Boolean> HEAP_OBJECT = new ClassValue<>()
    {
        @Override
        protected Boolean computeValue(final Class<?> type)
        {
            return SharedMemory.class.isAssignableFrom(type) || type.getName().startsWith(API_PACKAGE);
        }
    };

    /** Writes a {@link SharedMemory} as nothing; reads the reading thread's {@link SharedHeap#memory()}. */
    public static final Serializer<SharedMemory> MEMORY_SERIALIZER = new Serializer<>()
    {
        @Override
        public void write(final Kryo kryo, final Output output, final SharedMemory memory)
        {
        }

        @Override
        public SharedMemory read(final Kryo kryo, final Input input, final Class<? extends SharedMemory> type)
        {
            return SharedHeap.memory();
        }
    };

    private HeapReferences()
    {
    }

    /** @return true for the heap API's classes and any {@link SharedMemory}: never merged field by field. */
    public static boolean isHeapObject(final Class<?> type)
    {
        return HEAP_OBJECT.get(type);
    }
}
