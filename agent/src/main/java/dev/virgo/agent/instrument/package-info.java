/** The bytecode changes the agent makes to {@code java.lang.Thread} and to application classes. */
package dev.virgo.agent.instrument;
