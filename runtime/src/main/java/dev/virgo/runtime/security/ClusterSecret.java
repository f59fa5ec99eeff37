package dev.virgo.runtime.security;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.log.VirgoLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

/**
 * The cluster secret: the bytes of a file shared by an origin and its nodes, read and validated once.
 * <p>
 * The file holds at least {@link #MIN_SECRET_BYTES} bytes once one trailing newline ({@code \n} or {@code \r\n}) is
 * trimmed, e.g. {@code openssl rand -hex 32 > virgo.secret}. A file that group or others may read is accepted with a
 * warning. The secret itself is never logged, printed or put on a command line: only the path travels.
 */
public final class ClusterSecret
{
    /** The environment variable naming the secret file when neither option does. */
    public static final String SECRET_FILE_ENV = "VIRGO_SECRET_FILE";
    public static final int MIN_SECRET_BYTES = 32;
    /** Larger files are certainly not a secret file. */
    public static final int MAX_SECRET_FILE_BYTES = 64 * 1024;
    private static final int EPHEMERAL_SECRET_BYTES = 32;

    private final Path path;
    private final byte[] secret;

    private ClusterSecret(final Path path, final byte[] secret)
    {
        this.path = path;
        this.secret = secret;
    }

    /**
     * Resolves which secret file applies: the option if given, else {@link #SECRET_FILE_ENV}.
     *
     * @param optionPath the {@code --secret-file} or {@code secretFile=} value, or null.
     * @param env        the environment's value of {@link #SECRET_FILE_ENV}, or null.
     * @return the secret, or null when neither names a file.
     * @throws VirgoException naming the path and the fault when the file is not a valid secret file.
     */
    public static ClusterSecret resolve(final String optionPath, final String env)
    {
        final String chosen = null != optionPath && !optionPath.isBlank() ? optionPath :
            null != env && !env.isBlank() ? env : null;
        return null == chosen ? null : read(Path.of(chosen));
    }

    /**
     * Reads and validates a secret file.
     *
     * @param path of the file.
     * @return the secret.
     * @throws VirgoException naming the path and the fault: missing, not a regular file, unreadable, too large, empty
     *                        or shorter than {@link #MIN_SECRET_BYTES}.
     */
    public static ClusterSecret read(final Path path)
    {
        if (!Files.exists(path))
        {
            throw fault(path, "no such file");
        }
        if (!Files.isRegularFile(path))
        {
            throw fault(path, "not a regular file");
        }
        if (!Files.isReadable(path))
        {
            throw fault(path, "not readable by this user");
        }
        final byte[] bytes;
        try
        {
            if (Files.size(path) > MAX_SECRET_FILE_BYTES)
            {
                throw fault(path, "larger than " + MAX_SECRET_FILE_BYTES + " bytes, not a secret file");
            }
            bytes = Files.readAllBytes(path);
        }
        catch (final IOException ex)
        {
            throw new VirgoException("secret file " + path + ": cannot read: " + ex.getMessage(), ex);
        }

        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\n')
        {
            length--;
            if (length > 0 && bytes[length - 1] == '\r')
            {
                length--;
            }
        }
        if (0 == length)
        {
            throw fault(path, "empty");
        }
        if (length < MIN_SECRET_BYTES)
        {
            throw fault(path, length + " bytes, at least " + MIN_SECRET_BYTES + " needed (e.g. openssl rand -hex 32)");
        }
        warnIfShared(path);
        final byte[] secret = Arrays.copyOf(bytes, length);
        Arrays.fill(bytes, (byte)0);
        return new ClusterSecret(path, secret);
    }

    /**
     * Makes a fresh random secret in a new file readable and writable by its owner only ({@code rw-------}), deleted
     * when the JVM exits: how the embedded default authenticates the local nodes it launches.
     *
     * @param directory where to create the file, e.g. {@code java.io.tmpdir}.
     * @return the secret, read back from its file.
     * @throws VirgoException when the file cannot be made (the message names the directory).
     */
    public static ClusterSecret createEphemeral(final Path directory)
    {
        final byte[] random = new byte[EPHEMERAL_SECRET_BYTES];
        new SecureRandom().nextBytes(random);
        final byte[] text = (HexFormat.of().formatHex(random) + "\n").getBytes(StandardCharsets.US_ASCII);
        Arrays.fill(random, (byte)0);
        try
        {
            final Path file = Files.createTempFile(directory, "virgo-secret-", ".key",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            Files.write(file, text);
            Arrays.fill(text, (byte)0);
            return read(file);
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            throw new VirgoException("secret file in " + directory + ": cannot create an owner-only file: " + ex, ex);
        }
    }

    /** @return the file the secret was read from: what is handed to other processes. */
    public Path path()
    {
        return path;
    }

    /** @return the secret bytes; callers derive keys from them and do not keep or show them. */
    byte[] bytes()
    {
        return secret;
    }

    @Override
    public String toString()
    {
        return "ClusterSecret{file=" + path + '}';
    }

    private static void warnIfShared(final Path path)
    {
        try
        {
            final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            if (permissions.contains(PosixFilePermission.GROUP_READ) ||
                permissions.contains(PosixFilePermission.OTHERS_READ))
            {
                VirgoLog.warn("secret file " + path + " is readable by group or others (" +
                    PosixFilePermissions.toString(permissions) + "); chmod 600 it");
            }
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            // Not a POSIX file system: nothing to check.
        }
    }

    private static VirgoException fault(final Path path, final String what)
    {
        return new VirgoException("secret file " + path + ": " + what);
    }
}
