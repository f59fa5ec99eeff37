/**
 * The only types an application compiles against to use Virgo; programs that choose threads by
 * configuration need none of them.
 */
package dev.virgo.api;
