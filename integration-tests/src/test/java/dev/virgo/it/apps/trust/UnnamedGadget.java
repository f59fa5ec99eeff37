package dev.virgo.it.apps.trust;

/**
 * On the program's class path, named by none of its code: the origin must not serve it to a node. Stands for a
 * library class a node might want to load to attack the origin.
 */
public final class UnnamedGadget
{
    private UnnamedGadget()
    {
    }
}
