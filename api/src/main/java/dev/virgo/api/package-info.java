/**
 * The only types an application compiles against to use Virgo: {@link dev.virgo.api.Offload} to choose threads (programs
 * that choose them by configuration need nothing), and the shared heap in {@link dev.virgo.api.heap}.
 * {@link dev.virgo.api.VirgoException} is the root of every error Virgo raises.
 */
package dev.virgo.api;
