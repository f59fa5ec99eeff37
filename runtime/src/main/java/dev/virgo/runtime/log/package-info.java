/** Virgo's own one-line diagnostics, kept apart from the application's logging and console. */
package dev.virgo.runtime.log;
