/**
 * Programs whose threads synchronize with other threads while they run (atomics, barriers, locks, monitors,
 * {@code wait}/{@code notify}, volatile flags, blocking queues), written as ordinary code writes them: until moved
 * threads can share objects while they run, such a thread must run locally with one warning (or fail
 * {@code start()} with {@code fallback=fail}), never move and compute a different answer. Every wait is bounded, so
 * a thread that moved anyway ends in a {@code FAIL} line rather than a hang.
 */
package dev.virgo.it.apps.refusals;
