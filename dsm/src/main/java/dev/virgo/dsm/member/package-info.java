/**
 * One member of the shared heap, split by the roles its protocol has, each class one role:
 * <ul>
 *   <li>{@link dev.virgo.dsm.member.DsmMember}: the {@link dev.virgo.api.heap.SharedMemory} a member's threads use,
 *   which wires the roles below and holds none of their state;</li>
 *   <li>{@link dev.virgo.dsm.member.PageCache}: this member's copies of pages ({@code CachedPage}) and their states;
 *   {@link dev.virgo.dsm.member.PageAccess}: the threads' loads, stores and atomics on them;</li>
 *   <li>{@link dev.virgo.dsm.member.Requester}: misses and frees sent to homes, and the threads waiting for the
 *   answers;</li>
 *   <li>{@link dev.virgo.dsm.member.PageHome}: the directory and master copies of the pages homed here, and the
 *   requests for them; {@link dev.virgo.dsm.member.HomeFrees}: the frees of allocations homed here;</li>
 *   <li>{@link dev.virgo.dsm.member.CoherenceProxy} encodes and sends the protocol's messages,
 *   {@link dev.virgo.dsm.member.CoherenceAdapter} decodes and dispatches them, on the
 *   {@link dev.virgo.dsm.member.MemberConductor}'s thread;</li>
 *   <li>{@link dev.virgo.dsm.member.Roster}: the members that left, and the members' names;
 *   {@link dev.virgo.dsm.member.MemberLinks}: the Aeron links to the other members, each protected under the keys
 *   of its direction ({@link dev.virgo.dsm.member.PeerLink}, made by {@link dev.virgo.dsm.member.HeapKeys});
 *   {@link dev.virgo.dsm.member.CoherenceDrop}: why the adapter dropped a message its links accepted.</li>
 * </ul>
 * Threads: application threads run the hit path and send their own requests; the one conductor thread handles every
 * message that arrives, for whichever role it is; the thread that reports a member leaving drops the copies of its
 * memory at once. Each class says which of its state each thread touches.
 */
package dev.virgo.dsm.member;
