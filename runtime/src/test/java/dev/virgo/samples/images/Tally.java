package dev.virgo.samples.images;

/** A class with a static, for PreparedClassesTest: its images either carry the static from the origin or run its initializer. */
public final class Tally
{
    public static int count = 5;

    private Tally()
    {
    }

    public static synchronized int next()
    {
        return ++count;
    }
}
