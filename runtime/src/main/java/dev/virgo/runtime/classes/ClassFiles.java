package dev.virgo.runtime.classes;

import org.objectweb.asm.ClassReader;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;

/** Reads application class files the way the origin serves them to nodes: through the class's own loader. */
public final class ClassFiles
{
    /** JVMS 4.4.1: the tag of a CONSTANT_Class_info entry. */
    private static final int CONSTANT_CLASS_TAG = 7;

    private ClassFiles()
    {
    }

    /**
     * @param internalName a class name with slashes, {@code com/acme/Worker}.
     * @return a reader over the class's bytes, or null when the loader has no such class file (a hidden class, a
     * class defined at run time) or it cannot be read.
     */
    public static ClassReader read(final ClassLoader loader, final String internalName)
    {
        if (null == loader)
        {
            return null;
        }
        try (InputStream in = loader.getResourceAsStream(internalName + ".class"))
        {
            return null == in ? null : new ClassReader(in.readAllBytes());
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    /**
     * The classes a class file's constant pool names (CONSTANT_Class entries): its superclass and interfaces, the
     * owner of every field and method it refers to, and every class it instantiates, casts to or loads as a constant.
     * Array classes are reduced to their element class; primitive arrays name nothing.
     */
    public static Set<String> referencedClasses(final ClassReader reader)
    {
        final Set<String> names = new HashSet<>();
        final char[] buffer = new char[reader.getMaxStringLength()];
        for (int i = 1; i < reader.getItemCount(); i++)
        {
            final int offset = reader.getItem(i);
            if (offset > 0 && reader.readByte(offset - 1) == CONSTANT_CLASS_TAG)
            {
                final String name = reader.readUTF8(offset, buffer);
                if (!name.startsWith("["))
                {
                    names.add(name);
                }
                else if (name.endsWith(";"))
                {
                    names.add(name.substring(name.lastIndexOf('[') + 2, name.length() - 1));
                }
            }
        }
        return names;
    }
}
