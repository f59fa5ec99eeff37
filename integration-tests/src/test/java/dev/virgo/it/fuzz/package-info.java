/**
 * A frame fuzzer for Virgo's network-facing processes (issue 10): valid messages of every type a node, an origin or a
 * shared-heap member accepts, mutated and framed right or wrong (sealed under a real session, forged, replayed,
 * chunked dishonestly), plus random bytes, sent over a real Aeron publication; deterministic from a printed seed.
 * {@code FrameFuzzIT} runs it against real target processes and checks they serve correct work afterwards.
 */
package dev.virgo.it.fuzz;
