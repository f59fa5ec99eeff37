package dev.virgo.it.apps;

/** What test programs print: {@code CHECK name ok} or {@code FAIL name: detail}; the tests read these lines. */
public final class Check
{
    private Check()
    {
    }

    public static void that(final String name, final boolean condition, final Object detail)
    {
        System.out.println(condition ? "CHECK " + name + " ok" : "FAIL " + name + ": " + detail);
    }

    public static long pid()
    {
        return ProcessHandle.current().pid();
    }
}
