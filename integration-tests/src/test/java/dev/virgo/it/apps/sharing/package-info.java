/**
 * The corpus of issue 9: small programs, one idiom of ordinary multithreaded Java each (monitors, {@code wait}/{@code
 * notify}, volatiles, plain racy polls, {@code java.util.concurrent}, threads that are objects of other threads),
 * written as if Virgo did not exist. Each {@code main} starts its workers, joins them and prints one deterministic
 * {@code RESULT} line, which {@code SharedObjectsIT} compares with the same program's run without the agent, and one
 * {@code RAN worker pid} line per worker, which tells the test where each worker ran. Workers that must overlap prove
 * it (each waits, bounded, to see the others' work), so a run that put the threads one after another prints a
 * different result instead of passing. Every wait a worker could be left in is bounded or ends at main's bounded
 * join ({@link dev.virgo.it.apps.sharing.Report#joinAll}), so a broken run ends in a {@code FAIL} line, not a hang.
 */
package dev.virgo.it.apps.sharing;
