/**
 * Benchmarks and cross-JVM latency harnesses. They are ordinary programs run with the agent on the command line,
 * so nothing here imports Virgo and nothing here enters {@code virgo.jar}. The peers Virgo is measured beside (raw
 * Aeron, JDK RMI, Hazelcast) are benchmark-only dependencies of this module. {@code benchmarks/run-all.sh} runs the
 * whole suite and {@link dev.virgo.benchmarks.SuiteReport} writes its results; see {@code benchmarks/README.md} for
 * the commands and the figures measured.
 */
package dev.virgo.benchmarks;
