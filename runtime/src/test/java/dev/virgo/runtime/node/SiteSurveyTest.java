package dev.virgo.runtime.node;

import dev.virgo.samples.sync.SyncSamples;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cheap first look at a class finds every synchronization site a full read finds, and nothing else. */
class SiteSurveyTest
{
    private static final Set<String> MONITOR_METHODS =
        Set.of("wait()V", "wait(J)V", "wait(JI)V", "notify()V", "notifyAll()V");

    /** java.base's java.* has every instruction javac emits (switches, wide locals) and monitors of every shape. */
    @Test
    void shouldFindAMonitorOrAWaitExactlyWhereAFullReadOfTheCodeDoes() throws IOException
    {
        final List<String> disagreements = new ArrayList<>();
        int classes = 0;
        int withSites = 0;
        try (Stream<Path> files = Files.walk(FileSystems.getFileSystem(URI.create("jrt:/")).getPath("/modules/java.base/java")))
        {
            for (final Path file : files.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList()))
            {
                final ClassReader reader = new ClassReader(Files.readAllBytes(file));
                final boolean surveyed = SiteSurvey.of(reader, ReflectionHierarchy.INSTANCE).synchronizes();
                final boolean read = hasMonitorOrWait(reader);
                if (surveyed != read)
                {
                    disagreements.add(reader.getClassName() + ": survey " + surveyed + ", full read " + read);
                }
                classes++;
                withSites += read ? 1 : 0;
            }
        }
        assertEquals(List.of(), disagreements);
        assertTrue(classes > 2_000 && withSites > 100, classes + " classes, " + withSites + " with sites");
    }

    @Test
    void shouldFindAClassWhoseOnlySiteIsASynchronizedBlockOrAVolatileField()
    {
        assertTrue(SiteSurvey.of(reader(SyncSamples.Shapes.class), ReflectionHierarchy.INSTANCE).found());
        assertTrue(SiteSurvey.of(reader(SyncSamples.Flags.class), ReflectionHierarchy.INSTANCE).found());
        assertTrue(SiteSurvey.of(reader(SyncSamples.SubFlags.class), ReflectionHierarchy.INSTANCE).found(),
            "the inherited volatile field, named through the subclass");
        assertFalse(SiteSurvey.of(reader(SyncSamples.Filtered.class), ReflectionHierarchy.INSTANCE).found(),
            "the JDK's volatile field only");
        assertFalse(SiteSurvey.of(reader(NoSites.class), ReflectionHierarchy.INSTANCE).found());
        assertTrue(SiteSurvey.of(reader(SiteSurveyTest.class), ReflectionHierarchy.INSTANCE).found(),
            "List.add may update a concurrent collection: its site is rewritten like a j.u.c. call");
    }

    /** Plain arithmetic and a String: nothing another JVM must see. */
    static final class NoSites
    {
        static String describe(final int count)
        {
            return count * 2 + " items";
        }
    }

    private static boolean hasMonitorOrWait(final ClassReader reader)
    {
        final boolean[] found = new boolean[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9)
        {
            @Override
            public MethodVisitor visitMethod(
                final int access, final String name, final String descriptor, final String signature,
                final String[] exceptions)
            {
                found[0] |= MonitorSites.isSynchronizedWithCode(access, name);
                return new MethodVisitor(Opcodes.ASM9)
                {
                    @Override
                    public void visitInsn(final int opcode)
                    {
                        found[0] |= opcode == Opcodes.MONITORENTER || opcode == Opcodes.MONITOREXIT;
                    }

                    @Override
                    public void visitMethodInsn(
                        final int opcode, final String owner, final String name, final String descriptor,
                        final boolean isInterface)
                    {
                        found[0] |= MONITOR_METHODS.contains(name + descriptor);
                    }

                    @Override
                    public void visitInvokeDynamicInsn(
                        final String name, final String descriptor, final Handle bootstrap, final Object... arguments)
                    {
                        for (final Object argument : arguments)
                        {
                            found[0] |= argument instanceof Handle &&
                                MONITOR_METHODS.contains(((Handle)argument).getName() + ((Handle)argument).getDesc());
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return found[0];
    }

    private static ClassReader reader(final Class<?> type)
    {
        try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class"))
        {
            return new ClassReader(in.readAllBytes());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
