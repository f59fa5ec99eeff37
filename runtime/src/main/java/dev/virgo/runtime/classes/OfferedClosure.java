package dev.virgo.runtime.classes;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

import org.objectweb.asm.ClassReader;

/**
 * The application classes the origin offers a node for a class it moved there: the class itself and, transitively,
 * every class its class file names that its loader can serve. A node is served, and may send back objects of, only
 * these (plus the JDK, which it has itself).
 * <p>
 * A class file names a class in its constant pool (CONSTANT_Class: superclass, interfaces, owners of members, types
 * instantiated, cast to or loaded as constants, nest and inner-class attributes) and in its UTF-8 entries: field and
 * method descriptors, generic signatures (which Kryo resolves on the node), annotation types, and string constants.
 * A string constant that is a class name the loader has is taken as one, so that {@code Class.forName("com.acme.Impl")}
 * in offered code still finds its class; a string built at run time names nothing here and is refused. Classes of the
 * JDK are never part of a closure: nodes load those themselves.
 * <p>
 * Computed once per class and cached in a {@link ClassValue}, like {@link CodeScan}'s results; the set is immutable.
 */
public final class OfferedClosure
{
    /** JVMS 4.4: CONSTANT_Utf8 tag. */
    private static final int CONSTANT_UTF8_TAG = 1;

    /** Where Virgo's own classes come from; null when it cannot be told (then none of its packages is offered). */
    private static final String VIRGO_LOCATION = virgoLocation();

    private static final ClassValue<Set<String>> CLOSURES = new ClassValue<>()
    {
        @Override
        protected Set<String> computeValue(final Class<?> type)
        {
            return compute(type.getClassLoader(), type.getName());
        }
    };

    private OfferedClosure()
    {
    }

    /**
     * @param type a class of a moved thread's graph (or its root class).
     * @return binary names ({@code com.acme.Worker$Part}) of the classes offered with it; empty for a JDK class,
     * or one the loader cannot serve as a class file (a hidden or generated class).
     */
    public static Set<String> of(final Class<?> type)
    {
        return CLOSURES.get(type);
    }

    /** As {@link #of(Class)}, without the cache: for a class named by loader and binary name. */
    static Set<String> compute(final ClassLoader loader, final String rootName)
    {
        if (null == loader || notOffered(loader, rootName.replace('.', '/')))
        {
            return Collections.emptySet();
        }
        final Set<String> offered = new HashSet<>();
        final ArrayDeque<String> pending = new ArrayDeque<>();
        pending.add(rootName.replace('.', '/'));
        while (!pending.isEmpty())
        {
            final String internalName = pending.poll();
            final String binaryName = internalName.replace('/', '.');
            if (offered.contains(binaryName))
            {
                continue;
            }
            final ClassReader reader = ClassFiles.read(loader, internalName);
            if (null == reader)
            {
                continue;
            }
            offered.add(binaryName);
            for (final String named : namedBy(reader))
            {
                if (!offered.contains(named.replace('/', '.')) && !notOffered(loader, named))
                {
                    pending.add(named);
                }
            }
        }
        return Set.copyOf(offered);
    }

    /**
     * Classes a node loads without the origin: the JDK's, and Virgo's own (those in Virgo's jar, or its class
     * directory in tests: a class of the program in a dev.virgo package is the program's). A javax.*, jdk.*, sun.*
     * (or test tool) name that the platform does not have is the application's own (javax.inject), which the node
     * asks the origin for.
     */
    private static boolean notOffered(final ClassLoader loader, final String internalName)
    {
        final String binaryName = internalName.replace('/', '.');
        if (binaryName.startsWith("java."))
        {
            return true;
        }
        if (ApplicationClasses.isVirgoClassName(binaryName))
        {
            final URL url = loader.getResource(internalName + ".class");
            return null == VIRGO_LOCATION || null == url || url.toString().contains(VIRGO_LOCATION);
        }
        return ApplicationClasses.isVirgoOrJdkClassName(binaryName) &&
            null != ClassLoader.getPlatformClassLoader().getResource(internalName + ".class");
    }

    private static String virgoLocation()
    {
        try
        {
            final CodeSource source = OfferedClosure.class.getProtectionDomain().getCodeSource();
            return null == source || null == source.getLocation() ? null : source.getLocation().toString();
        }
        catch (final SecurityException ex)
        {
            return null;
        }
    }

    /** Internal names a class file names; candidates only: the caller keeps those its loader has. */
    private static Set<String> namedBy(final ClassReader reader)
    {
        final Set<String> names = new HashSet<>(ClassFiles.referencedClasses(reader));
        for (int i = 1; i < reader.getItemCount(); i++)
        {
            final int offset = reader.getItem(i);
            if (offset > 0 && reader.readByte(offset - 1) == CONSTANT_UTF8_TAG)
            {
                addNames(names, utf8At(reader, offset));
            }
        }
        return names;
    }

    /** A CONSTANT_Utf8 entry's text (ASM reads one only through an index that refers to it). */
    private static String utf8At(final ClassReader reader, final int offset)
    {
        final int length = reader.readUnsignedShort(offset);
        final byte[] entry = new byte[length + 2];
        for (int i = 0; i < entry.length; i++)
        {
            entry[i] = (byte)reader.readByte(offset + i);
        }
        try
        {
            return new DataInputStream(new ByteArrayInputStream(entry)).readUTF(); // the class file's modified UTF-8
        }
        catch (final IOException ex)
        {
            return ""; // malformed: names nothing
        }
    }

    /**
     * The names in one UTF-8 entry: each {@code Lcom/acme/Foo;} or {@code Lcom/acme/Foo<} of a descriptor or
     * signature, or the whole entry when it reads as a class name ({@code com.acme.Foo} or {@code com/acme/Foo}).
     */
    static void addNames(final Set<String> names, final String utf8)
    {
        if (isClassName(utf8, '.') || isClassName(utf8, '/'))
        {
            names.add(utf8.replace('.', '/'));
        }
        int from = utf8.indexOf('L');
        while (from >= 0)
        {
            int end = from + 1;
            while (end < utf8.length() && utf8.charAt(end) != ';' && utf8.charAt(end) != '<')
            {
                end++;
            }
            if (end < utf8.length() && end > from + 1)
            {
                final String candidate = utf8.substring(from + 1, end);
                if (isClassName(candidate, '/'))
                {
                    names.add(candidate);
                }
            }
            from = utf8.indexOf('L', from + 1);
        }
    }

    private static boolean isClassName(final String text, final char separator)
    {
        if (text.isEmpty() || text.length() > 1024 || text.charAt(0) == separator ||
            text.charAt(text.length() - 1) == separator)
        {
            return false;
        }
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (!(Character.isJavaIdentifierPart(c) || c == separator) ||
                (c == separator && text.charAt(i - 1) == separator))
            {
                return false;
            }
        }
        return Character.isJavaIdentifierStart(text.charAt(0));
    }
}
