/**
 * Typed array views over the shared heap: a {@code SharedLongArray} and its kin are an address and a length, read
 * and written through any member's {@link dev.virgo.dsm.SharedMemory}. The address and length are what travel
 * between JVMs; {@code at(memory, address, length)} on another member names the same elements.
 *
 * <p>Views add no synchronization of their own: an element access is one shared-memory access, so it inherits the
 * heap's promise (plain accesses sequentially consistent, atomics atomic). Indexes are checked before any access.
 */
package dev.virgo.dsm.view;
