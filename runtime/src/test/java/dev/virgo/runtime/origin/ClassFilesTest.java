package dev.virgo.runtime.origin;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClassFilesTest
{
    @Test
    void shouldLookUpOnlyClassNames()
    {
        assertNull(ClassFiles.refusal("com.acme.Worker"));
        assertNull(ClassFiles.refusal("com.acme.Worker$1"));
        assertNull(ClassFiles.refusal("com.acme.package-info"));
        assertNull(ClassFiles.refusal("Worker"));
        for (final String notAClassName : new String[] {"", "[Ljava.lang.String;", "[I", "com/acme/Worker",
            "../secret", "com.acme.", ".acme", "com..acme", "C:\\acme"})
        {
            assertEquals("'" + notAClassName + "' is not a class name", ClassFiles.refusal(notAClassName));
        }
    }

    @Test
    void shouldReadTheClassFileFromTheLoaderTheRequestNames() throws Exception
    {
        final byte[] patched = {(byte)0xCA, (byte)0xFE, (byte)0xBA, (byte)0xBE};
        final ClassLoader plugin = new ClassLoader("plugin", getClass().getClassLoader())
        {
            @Override
            public InputStream getResourceAsStream(final String name)
            {
                return "com/acme/Plugin.class".equals(name) ? new ByteArrayInputStream(patched) : null;
            }
        };

        assertArrayEquals(patched, ClassFiles.read(plugin, "com.acme.Plugin"));
        assertNull(ClassFiles.read(plugin, "com.acme.Missing"));
        assertNotNull(ClassFiles.read(getClass().getClassLoader(), ClassFilesTest.class.getName()));
    }
}
