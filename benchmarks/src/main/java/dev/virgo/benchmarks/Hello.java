package dev.virgo.benchmarks;

/** The hello-world whose start-up (wall time until the JVM exits) {@link AgentOverhead} times with and without the agent. */
public final class Hello
{
    private Hello()
    {
    }

    public static void main(final String[] args)
    {
        System.out.println("hello");
    }
}
