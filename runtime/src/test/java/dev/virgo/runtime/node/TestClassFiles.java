package dev.virgo.runtime.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The class files of the test samples, as an origin would send them to a node. */
final class TestClassFiles
{
    private TestClassFiles()
    {
    }

    /** @return the class file of {@code className} on the test class path, or null when there is none. */
    static byte[] bytesOf(final String className)
    {
        try (InputStream in = TestClassFiles.class.getClassLoader()
            .getResourceAsStream(className.replace('.', '/') + ".class"))
        {
            return null == in ? null : in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
