/**
 * Benchmarks and cross-JVM latency harnesses. The moved-thread harnesses are ordinary programs run with the agent on
 * the command line, so they import nothing of Virgo; the shared-heap harnesses ({@link
 * dev.virgo.benchmarks.SharedHeapLatency}, {@link dev.virgo.benchmarks.SharedHeapHitBenchmark}) build heap members
 * themselves and run, without the agent, from their own jar ({@code virgo-heap-benchmarks.jar}). Nothing here enters
 * {@code virgo.jar}. The peers Virgo is measured beside (raw Aeron, JDK RMI, Hazelcast) are benchmark-only
 * dependencies of this module. {@code benchmarks/run-all.sh} runs the whole suite and
 * {@link dev.virgo.benchmarks.SuiteReport} writes its results; see {@code benchmarks/README.md} for the commands and
 * the figures measured.
 */
package dev.virgo.benchmarks;
