/** Programs whose moved threads reach for classes the origin did not offer them: OfferedClassesIT. */
package dev.virgo.it.apps.trust;
