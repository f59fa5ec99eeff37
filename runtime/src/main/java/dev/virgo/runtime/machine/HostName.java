package dev.virgo.runtime.machine;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The name of this machine, the same for every JVM on it: how an origin tells that two nodes (or a node and itself)
 * share processors. Read once: the kernel's host name where there is one ({@code /proc/sys/kernel/hostname}, no DNS
 * lookup), else what {@link InetAddress#getLocalHost()} says, else {@code "localhost"}.
 */
public final class HostName
{
    private static final Path KERNEL_HOST_NAME = Paths.get("/proc/sys/kernel/hostname");
    private static final String LOCAL = read();

    private HostName()
    {
    }

    /** @return this machine's name. */
    public static String local()
    {
        return LOCAL;
    }

    private static String read()
    {
        try
        {
            if (Files.isReadable(KERNEL_HOST_NAME))
            {
                final String name = new String(Files.readAllBytes(KERNEL_HOST_NAME), StandardCharsets.UTF_8).trim();
                if (!name.isEmpty())
                {
                    return name;
                }
            }
        }
        catch (final IOException | RuntimeException ignored)
        {
            // fall through to the resolver
        }
        try
        {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (final IOException | RuntimeException ex)
        {
            return "localhost";
        }
    }
}
