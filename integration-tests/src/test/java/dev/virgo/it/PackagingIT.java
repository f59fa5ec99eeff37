package dev.virgo.it;

import dev.virgo.it.harness.Virgo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one shaded virgo.jar: its manifest, and that no third-party class inside is left unrelocated. */
class PackagingIT
{
    @Test
    void shouldDeclareTheAgentAndTheLauncherInTheManifest() throws IOException
    {
        try (JarFile jar = new JarFile(Virgo.JAR.toFile()))
        {
            final Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("dev.virgo.agent.VirgoAgent", main.getValue("Premain-Class"));
            assertEquals("dev.virgo.agent.VirgoAgent", main.getValue("Agent-Class"));
            assertEquals("dev.virgo.agent.LauncherAgent", main.getValue("Launcher-Agent-Class"));
            assertEquals("dev.virgo.agent.Launcher", main.getValue("Main-Class"));
            assertEquals("true", main.getValue("Can-Retransform-Classes"));
            for (final String declared : List.of("Premain-Class", "Launcher-Agent-Class", "Main-Class"))
            {
                assertTrue(null != jar.getEntry(main.getValue(declared).replace('.', '/') + ".class"), declared);
            }
        }
    }

    @Test
    void shouldRelocateEveryThirdPartyClass() throws IOException
    {
        final List<String> unrelocated = new ArrayList<>();
        int shaded = 0;
        try (JarFile jar = new JarFile(Virgo.JAR.toFile()))
        {
            final Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements())
            {
                String name = entries.nextElement().getName();
                if (!name.endsWith(".class"))
                {
                    continue;
                }
                if (name.startsWith("META-INF/versions/"))
                {
                    name = name.substring(name.indexOf('/', "META-INF/versions/".length()) + 1);
                }
                if (name.startsWith("dev/virgo/shaded/"))
                {
                    shaded++;
                }
                else if (!name.startsWith("dev/virgo/"))
                {
                    unrelocated.add(name);
                }
            }
        }
        assertTrue(unrelocated.isEmpty(), "unrelocated classes in virgo.jar: " +
            unrelocated.subList(0, Math.min(20, unrelocated.size())));
        assertTrue(shaded > 1000, "Aeron, Agrona, Kryo, ByteBuddy and ASM are inside, relocated: " + shaded);
    }

    @Test
    void shouldShipAnApiArtifactThatDependsOnNothingButTheJdk() throws IOException
    {
        final List<String> classes = new ArrayList<>();
        final List<String> dependent = new ArrayList<>();
        try (JarFile jar = new JarFile(Virgo.API_JAR.toFile()))
        {
            for (final JarEntry entry : java.util.Collections.list(jar.entries()))
            {
                final String name = entry.getName();
                if (!name.endsWith(".class") || name.endsWith("package-info.class"))
                {
                    continue;
                }
                classes.add(name);
                final String constants;
                try (java.io.InputStream in = jar.getInputStream(entry))
                {
                    constants = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                }
                for (final String foreign : List.of("dev/virgo/runtime", "dev/virgo/dsm", "dev/virgo/agent",
                    "io/aeron", "org/agrona", "com/esotericsoftware", "net/bytebuddy"))
                {
                    if (constants.contains(foreign))
                    {
                        dependent.add(name + " -> " + foreign);
                    }
                }
            }
        }
        assertTrue(classes.contains("dev/virgo/api/Offload.class"), classes.toString());
        assertTrue(classes.contains("dev/virgo/api/heap/SharedHeap.class"), classes.toString());
        assertTrue(classes.stream().allMatch(n -> n.startsWith("dev/virgo/api/")), classes.toString());
        assertTrue(dependent.isEmpty(), "the API must depend on the JDK alone: " + dependent);
    }

    @Test
    void shouldCarryTheSharedHeapImplementationInVirgoJar() throws IOException
    {
        try (JarFile jar = new JarFile(Virgo.JAR.toFile()))
        {
            final JarEntry services = jar.getJarEntry("META-INF/services/dev.virgo.runtime.heap.HeapFactory");
            assertTrue(null != services, "virgo.jar registers the heap implementation");
            try (java.io.InputStream in = jar.getInputStream(services))
            {
                final String named = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
                assertTrue(null != jar.getJarEntry(named.replace('.', '/') + ".class"), named + " is inside");
            }
            assertTrue(null != jar.getJarEntry("dev/virgo/api/heap/SharedHeap.class"), "the API is inside too");
        }
    }
}
