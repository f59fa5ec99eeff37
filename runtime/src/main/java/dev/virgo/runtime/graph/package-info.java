/**
 * Copies a moved thread's object graph to a node at {@code start()} and writes what the thread changed back
 * into the original objects at {@code join()}.
 * <p>
 * The origin encodes the graph with Kryo ({@link dev.virgo.runtime.graph.GraphCodec#snapshot}); the node decodes
 * it into private copies ({@link dev.virgo.runtime.graph.GraphCodec#read}) and, when the thread ends, encodes
 * the final state of the same objects ({@link dev.virgo.runtime.graph.Image#finalState}); the origin then
 * writes back only the differences from the start() state, field by field and element by element
 * ({@link dev.virgo.runtime.graph.Snapshot#mergeBack}). Objects are matched across JVMs by Kryo reference id,
 * which is assigned in the same order on every read and write of a graph, so no identity travels on the wire.
 * JDK collections and maps are merged by what the thread changed in them (keys, elements, positions), through
 * their own API, so writes other threads made to them since start() survive; where two writers changed one key
 * or position, the thread merged last wins and one warning per merge says so.
 * <p>
 * The origin trusts no node with its classes: what it decodes from a node (a final state, a release, an exception)
 * may name only the classes it offered that thread ({@link dev.virgo.runtime.graph.ClassOffer}); a node decodes what
 * the origin sends unchecked.
 * <p>
 * This keeps the Java memory model's start()/join() promise with no cost while the thread runs. Communication
 * while threads run (locks, volatiles, atomics shared between live threads) is the shared heap's job, not this
 * package's: the codec refuses the JDK's synchronizers (locks, atomics, barriers, latches, blocking queues...), so
 * that a thread whose graph reaches one runs where the other threads are.
 */
package dev.virgo.runtime.graph;
