package dev.virgo.agent;

import dev.virgo.runtime.node.NodeCommand;

/** {@code java -jar virgo.jar node [options]}: see {@link NodeCommand}. */
public final class Launcher
{
    private Launcher()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(NodeCommand.run(args));
    }
}
