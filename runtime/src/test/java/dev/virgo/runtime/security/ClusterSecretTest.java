package dev.virgo.runtime.security;

import dev.virgo.api.VirgoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterSecretTest
{
    private static final String SECRET_32 = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void shouldTrimOneTrailingNewline() throws Exception
    {
        final Path file = write("ok", SECRET_32 + "\r\n");
        assertEquals(32, ClusterSecret.read(file).bytes().length);
    }

    @Test
    void shouldRefuseAShortSecretNamingThePath() throws Exception
    {
        final Path file = write("short", SECRET_32.substring(1) + "\n");
        final VirgoException ex = assertThrows(VirgoException.class, () -> ClusterSecret.read(file));
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("31 bytes, at least 32"), ex.getMessage());
    }

    @Test
    void shouldRefuseEmptyMissingAndDirectory() throws Exception
    {
        final Path empty = write("empty", "\n");
        assertTrue(assertThrows(VirgoException.class, () -> ClusterSecret.read(empty)).getMessage().endsWith("empty"));
        final Path missing = dir.resolve("missing");
        assertTrue(assertThrows(VirgoException.class, () -> ClusterSecret.read(missing)).getMessage()
            .contains("no such file"));
        assertTrue(assertThrows(VirgoException.class, () -> ClusterSecret.read(dir)).getMessage()
            .contains("not a regular file"));
    }

    @Test
    void shouldPreferTheOptionOverTheEnvironment() throws Exception
    {
        final Path option = write("option", SECRET_32 + "A");
        final Path env = write("env", SECRET_32 + "BB");
        assertEquals(option, ClusterSecret.resolve(option.toString(), env.toString()).path());
        assertEquals(env, ClusterSecret.resolve(null, env.toString()).path());
        assertNull(ClusterSecret.resolve(null, null));
    }

    @Test
    void shouldMakeAnOwnerOnlyEphemeralSecret() throws Exception
    {
        final ClusterSecret secret = ClusterSecret.createEphemeral(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret.path())));
        assertTrue(secret.bytes().length >= ClusterSecret.MIN_SECRET_BYTES);
        final ClusterSecret other = ClusterSecret.createEphemeral(dir);
        assertTrue(!java.util.Arrays.equals(secret.bytes(), other.bytes()), "fresh per call");
    }

    private Path write(final String name, final String text) throws Exception
    {
        final Path file = dir.resolve(name);
        Files.write(file, text.getBytes(StandardCharsets.US_ASCII));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
