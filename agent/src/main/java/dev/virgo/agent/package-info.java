/**
 * The agent: {@code premain} (an origin), the node launcher behind {@code java -jar virgo.jar}, and the glue between
 * the bootstrap dispatcher and the runtime.
 */
package dev.virgo.agent;
