/**
 * Benchmarks and cross-JVM latency harnesses. They are ordinary programs run with the agent on the command line,
 * so nothing here imports Virgo and nothing here enters {@code virgo.jar}. See {@code benchmarks/README.md} for
 * the commands and the figures measured.
 */
package dev.virgo.benchmarks;
