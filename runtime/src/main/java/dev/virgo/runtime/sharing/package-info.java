/**
 * Objects shared across JVMs while moved threads run (issue 9): the synchronization a moved thread performs on an
 * object the origin also has is carried out at the origin, on the real object, by the thread's <em>shadow</em>, and
 * the data the thread wrote travels with each release and what others wrote comes back with each acquire (home-based
 * lazy release consistency, the home being the origin). {@link dev.virgo.runtime.sharing.SyncSites} is where the
 * rewritten synchronization sites of the application's classes on a node lead; see {@code docs/shared-objects.md}.
 */
package dev.virgo.runtime.sharing;
