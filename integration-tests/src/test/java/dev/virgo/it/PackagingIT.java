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
    void shouldShipOnlyTheOffloadAnnotationInTheApiArtifact() throws IOException
    {
        final List<String> classes = new ArrayList<>();
        try (JarFile jar = new JarFile(Virgo.API_JAR.toFile()))
        {
            jar.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class") && !n.endsWith("package-info.class"))
                .forEach(classes::add);
        }
        assertEquals(List.of("dev/virgo/api/Offload.class"), classes);
    }
}
