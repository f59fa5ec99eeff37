package dev.virgo.agent;

import dev.virgo.agent.bootstrap.ThreadDispatcher;
import dev.virgo.runtime.origin.OriginRuntime;

/**
 * Connects the bootstrap {@link ThreadDispatcher} to the origin runtime, which lives in the system class loader.
 * Loaded only after {@link BootstrapInjector} ran, so that its interface resolves to the bootstrap copy.
 */
final class OffloadingHandler implements ThreadDispatcher.Handler
{
    private final OriginRuntime runtime;

    private OffloadingHandler(final OriginRuntime runtime)
    {
        this.runtime = runtime;
    }

    static void install(final OriginRuntime runtime)
    {
        ThreadDispatcher.install(new OffloadingHandler(runtime));
    }

    @Override
    public boolean start(final Thread thread)
    {
        return runtime.start(thread);
    }

    @Override
    public boolean isMoved(final Thread thread)
    {
        return runtime.isMoved(thread);
    }

    @Override
    public boolean isAlive(final Thread thread)
    {
        return runtime.isAlive(thread);
    }

    @Override
    public void join(final Thread thread, final long millis) throws InterruptedException
    {
        runtime.join(thread, millis);
    }

    @Override
    public Thread.State getState(final Thread thread)
    {
        return runtime.getState(thread);
    }

    @Override
    public void interrupt(final Thread thread)
    {
        runtime.interrupt(thread);
    }

    @Override
    public boolean isInterrupted(final Thread thread)
    {
        return runtime.isInterrupted(thread);
    }

    @Override
    public int availableProcessors()
    {
        return runtime.availableProcessors();
    }
}
