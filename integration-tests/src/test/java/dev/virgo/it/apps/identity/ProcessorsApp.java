package dev.virgo.it.apps.identity;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Sizes its thread pool from {@code Runtime.availableProcessors()}, first thing in {@code main}, as programs do, and
 * prints {@code PROCESSORS n POOL m}.
 */
public final class ProcessorsApp
{
    public static void main(final String[] args)
    {
        final int processors = Runtime.getRuntime().availableProcessors();
        final ExecutorService pool = Executors.newFixedThreadPool(processors);
        System.out.println("PROCESSORS " + processors + " POOL " + ((ThreadPoolExecutor)pool).getMaximumPoolSize());
        pool.shutdown();
    }
}
