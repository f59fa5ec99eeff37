/**
 * What Virgo knows about application classes: which are the application's, how their lambdas move, and what the code
 * a thread can run does that copies could not keep ({@link dev.virgo.runtime.classes.CodeScan}).
 */
package dev.virgo.runtime.classes;
