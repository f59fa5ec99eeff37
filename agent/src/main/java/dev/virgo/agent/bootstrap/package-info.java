/**
 * Classes injected into the bootstrap class loader so that advice inlined into {@code java.lang.Thread} can reach
 * the agent. Only JDK types may appear here.
 */
package dev.virgo.agent.bootstrap;
