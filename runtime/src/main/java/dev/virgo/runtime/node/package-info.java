/**
 * The node: takes moved threads from origins and runs them on pooled carrier threads, each in its own image of the
 * origin's classes loaded on demand, with its output routed back.
 */
package dev.virgo.runtime.node;
