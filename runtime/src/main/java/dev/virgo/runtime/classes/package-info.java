/** What Virgo knows about application classes: which are the application's, and how their lambdas move. */
package dev.virgo.runtime.classes;
