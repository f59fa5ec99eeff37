package dev.virgo.it.apps.lifecycle;

/**
 * The template of a plugin class that {@link TwinLoadersApp} defines twice, in two class loaders, after patching the
 * string below into {@code VARIANT-A} and {@code VARIANT-B}. This copy itself is never loaded as a class.
 */
public final class TwinPlugin implements Runnable
{
    public String seen;
    public long ranIn;

    @Override
    public void run()
    {
        seen = variant();
        ranIn = ProcessHandle.current().pid();
    }

    static String variant()
    {
        return "VARIANT-?";
    }
}
