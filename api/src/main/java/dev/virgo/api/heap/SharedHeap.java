package dev.virgo.api.heap;

import java.util.Objects;

/**
 * Where an application finds the shared heap: {@link #memory()} is the {@link SharedMemory} of the JVM and thread that
 * call it, at the origin and in every thread Virgo moved to a node. All of them are members of one heap, so an address
 * (or a view, or a synchronizer) made by any of them names the same memory on all of them.
 *
 * <pre>{@code
 *   SharedLongArray counts = SharedLongArray.allocate(SharedHeap.memory(), 256);
 *   Thread worker = new Thread(() -> counts.getAndAdd(bucket, 1));  // moved: counts travels as a reference
 * }</pre>
 *
 * <p>The agent installs the implementation; without it (the program run without {@code -javaagent:virgo.jar}),
 * {@link #memory()} throws a {@link SharedMemoryException} that says so.
 */
public final class SharedHeap
{
    /** How the runtime supplies the heap; installed once per JVM by the agent. Not for applications. */
    @FunctionalInterface
    public interface Provider
    {
        /** @return the heap member the calling thread uses; may block while this JVM joins the heap. */
        SharedMemory memory();
    }

    private static volatile Provider provider;

    private SharedHeap()
    {
    }

    /**
     * @return the shared heap as the calling thread sees it. The first call at the origin makes the origin and its
     * nodes members of one heap (it waits for the nodes that are starting, up to {@code nodeReadyTimeoutMs}).
     * @throws SharedMemoryException when Virgo is not running in this JVM, or this node is not a member of the heap
     *                               of the thread's origin.
     */
    public static SharedMemory memory()
    {
        final Provider current = provider;
        if (null == current)
        {
            throw new SharedMemoryException(
                "no shared heap in this JVM: run the program with -javaagent:virgo.jar to use dev.virgo.api.heap");
        }
        return current.memory();
    }

    /** Called by the agent once, before the application's {@code main}. */
    public static void install(final Provider heapProvider)
    {
        provider = Objects.requireNonNull(heapProvider, "heapProvider");
    }
}
