package dev.virgo.runtime.origin;

import java.io.IOException;
import java.io.InputStream;

/** Where the origin reads the class files it sends nodes: from the class loader a request names, as a resource. */
final class ClassFiles
{
    private ClassFiles()
    {
    }

    /**
     * Only binary class names ({@code com.acme.Foo$Bar}, {@code com.acme.package-info}) are looked up: anything else
     * (an array descriptor, a path) would read some other resource, or none, so it is refused, saying so.
     *
     * @return why the name is refused, or null for a class name.
     */
    static String refusal(final String className)
    {
        final boolean refused = className.isEmpty() || className.startsWith(".") || className.endsWith(".") ||
            className.contains("..") || className.indexOf('/') >= 0 || className.indexOf('\\') >= 0 ||
            className.indexOf('[') >= 0 || className.indexOf(';') >= 0;
        return refused ? "'" + className + "' is not a class name" : null;
    }

    /**
     * @param loader    the loader the request names: the one that defined the moved thread's classes, which also
     *                  serves their bytes as resources (a loader that defines classes it cannot serve cannot move).
     * @param className a name {@link #refusal} accepts.
     * @return the class file, or null when the loader has no such class.
     */
    static byte[] read(final ClassLoader loader, final String className) throws IOException
    {
        try (InputStream in = loader.getResourceAsStream(className.replace('.', '/') + ".class"))
        {
            return null == in ? null : in.readAllBytes();
        }
    }
}
