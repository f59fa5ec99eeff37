/** Settings of the origin and the node: names, defaults, and validation once at start. */
package dev.virgo.runtime.config;
