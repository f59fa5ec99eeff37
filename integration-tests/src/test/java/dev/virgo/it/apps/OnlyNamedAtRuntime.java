package dev.virgo.it.apps;

/** Reached by a moved thread only through Class.forName, so the node must fetch it from the origin on demand. */
public final class OnlyNamedAtRuntime
{
    @Override
    public String toString()
    {
        return "only named at run time";
    }
}
