package dev.virgo.runtime.classes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * What a START carries, shared by the origin (which composes it) and the node (which takes it apart).
 *
 * <p>The snapshot's roots are {@code [runnable, Object[][] staticValues]}: the statics travel in the same graph
 * as the thread so that an array reached both from a static field and from the Runnable stays one array on the
 * node. The names of those classes and fields travel in a small manifest before the snapshot, because the node
 * must know which classes' static initializers to replace before reading the snapshot loads them. The manifest
 * also names the origin class loader of the thread's classes (a small number the origin gives each loader), so
 * that threads carrying no statics can share one image of that loader's classes on a node.
 * <pre>
 *   payload  := manifest snapshot
 *   manifest := int32 loaderId, int32 classCount,
 *               then per class: UTF className, int32 fieldCount, fieldCount x UTF fieldName
 *   snapshot := the rest: the graph codec's bytes for roots [runnable, staticValues]
 * </pre>
 * (UTF is {@link DataOutputStream#writeUTF}; big-endian, as {@code java.io.Data*} writes it.)
 */
public final class ThreadRoots
{
    public static final int RUNNABLE = 0;
    public static final int STATIC_VALUES = 1;

    /** The decoded parts of a START payload. */
    public static final class Payload
    {
        public final int loaderId;
        public final String[] classNames;
        public final String[][] fieldNames;
        public final byte[] snapshot;

        Payload(final int loaderId, final String[] classNames, final String[][] fieldNames, final byte[] snapshot)
        {
            this.loaderId = loaderId;
            this.classNames = classNames;
            this.fieldNames = fieldNames;
            this.snapshot = snapshot;
        }
    }

    private ThreadRoots()
    {
    }

    public static Object[] compose(final Object runnable, final Object[][] staticValues)
    {
        return new Object[] {runnable, staticValues};
    }

    public static Object runnable(final Object[] roots)
    {
        return roots[RUNNABLE];
    }

    public static Object[][] staticValues(final Object[] roots)
    {
        return (Object[][])roots[STATIC_VALUES];
    }

    public static byte[] encodePayload(
        final int loaderId, final String[] classNames, final String[][] fieldNames, final byte[] snapshot)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(snapshot.length + 64 * classNames.length + 8);
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt(loaderId);
            out.writeInt(classNames.length);
            for (int i = 0; i < classNames.length; i++)
            {
                out.writeUTF(classNames[i]);
                out.writeInt(fieldNames[i].length);
                for (final String field : fieldNames[i])
                {
                    out.writeUTF(field);
                }
            }
            out.write(snapshot);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the manifest is malformed, naming what was wrong. */
    public static Payload decodePayload(final byte[] payload)
    {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload)))
        {
            final int loaderId = in.readInt();
            final int classCount = in.readInt();
            if (classCount < 0 || classCount > payload.length / 4)
            {
                throw new IllegalArgumentException("START payload: class count " + classCount + " is invalid");
            }
            final String[] classNames = new String[classCount];
            final String[][] fieldNames = new String[classCount][];
            for (int i = 0; i < classCount; i++)
            {
                classNames[i] = in.readUTF();
                final int fieldCount = in.readInt();
                if (fieldCount < 0 || fieldCount > payload.length / 2)
                {
                    throw new IllegalArgumentException("START payload: field count " + fieldCount + " of " +
                        classNames[i] + " is invalid");
                }
                fieldNames[i] = new String[fieldCount];
                for (int f = 0; f < fieldCount; f++)
                {
                    fieldNames[i][f] = in.readUTF();
                }
            }
            final int consumed = payload.length - in.available();
            return new Payload(loaderId, classNames, fieldNames, Arrays.copyOfRange(payload, consumed, payload.length));
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("START payload: manifest truncated (" + payload.length + " bytes)", ex);
        }
    }
}
