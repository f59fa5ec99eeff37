package dev.virgo.runtime.node;

import dev.virgo.runtime.sharing.ConcurrentTypes;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A first look at a class, much cheaper than reading it with a visitor: does it have a synchronization site at all?
 * A class with only a {@code synchronized} block names nothing telling in its constant pool, so the bytecode of each
 * method is walked, opcode by opcode, for a {@code monitorenter} or {@code monitorexit}; a {@code synchronized} method
 * shows in its flags; a call to (or a method reference to) {@code wait}, {@code notify} or {@code notifyAll} and a
 * field that may be volatile show in the constant pool, whose field references are resolved only when nothing else
 * was found, and so does a call of (or a method reference to) a {@code java.util.concurrent} object's method
 * ({@code ConcurrentTypes}). It may say yes where the rewrite finds nothing to do (a volatile field written only
 * before {@code super()}, say); it never says no to a class that has a site.
 */
final class SiteSurvey
{
    private static final int CONSTANT_FIELDREF = 9;
    private static final int CONSTANT_METHODREF = 10;
    private static final int CONSTANT_INTERFACE_METHODREF = 11;
    private static final Set<String> MONITOR_METHODS = Set.of("wait()V", "wait(J)V", "wait(JI)V", "notify()V",
        "notifyAll()V");
    /** Instruction lengths by opcode; 0 for the three whose length varies ({@code tableswitch}, ...) and unknowns. */
    private static final byte[] LENGTHS = new byte[256];

    static
    {
        // JVMS 6.5, by opcode: nop to dconst_1, bipush, sipush, ldc, ldc_w, ldc2_w, the loads, the array loads
        fill(0x00, 0x0f, 1);
        fill(0x10, 0x10, 2);
        fill(0x11, 0x11, 3);
        fill(0x12, 0x12, 2);
        fill(0x13, 0x14, 3);
        fill(0x15, 0x19, 2);
        fill(0x1a, 0x35, 1);
        // the stores, the array stores, the stack, arithmetic and conversions, iinc, comparisons
        fill(0x36, 0x3a, 2);
        fill(0x3b, 0x83, 1);
        fill(0x84, 0x84, 3);
        fill(0x85, 0x98, 1);
        // branches, goto, jsr, ret; tableswitch and lookupswitch vary; the returns
        fill(0x99, 0xa8, 3);
        fill(0xa9, 0xa9, 2);
        fill(0xac, 0xb1, 1);
        // fields, invokevirtual/special/static, invokeinterface, invokedynamic, new, newarray, anewarray, arraylength,
        // athrow, checkcast, instanceof, monitorenter, monitorexit; wide varies; multianewarray, ifnull, ifnonnull,
        // goto_w, jsr_w
        fill(0xb2, 0xb8, 3);
        fill(0xb9, 0xba, 5);
        fill(0xbb, 0xbb, 3);
        fill(0xbc, 0xbc, 2);
        fill(0xbd, 0xbd, 3);
        fill(0xbe, 0xbf, 1);
        fill(0xc0, 0xc1, 3);
        fill(0xc2, 0xc3, 1);
        fill(0xc5, 0xc5, 4);
        fill(0xc6, 0xc7, 3);
        fill(0xc8, 0xc9, 5);
    }

    final VolatileFields volatileFields;
    private final ClassReader reader;
    private final char[] chars;
    private boolean synchronizes;

    private SiteSurvey(final ClassReader reader, final MovedCodeRewriter.Hierarchy hierarchy)
    {
        this.reader = reader;
        this.chars = new char[reader.getMaxStringLength()];
        final Map<String, Integer> ownFields = new HashMap<>();
        readMembers(ownFields);
        this.volatileFields = new VolatileFields(
            reader.getClassName(), reader.getSuperName(), reader.getInterfaces(), ownFields, hierarchy);
    }

    static SiteSurvey of(final ClassReader reader, final MovedCodeRewriter.Hierarchy hierarchy)
    {
        return new SiteSurvey(reader, hierarchy);
    }

    /** True when the class has a site to rewrite, or may have. */
    boolean found()
    {
        return synchronizes() || namesVolatileField() || canInvokeDynamic() && namesConcurrentMethod(false);
    }

    /**
     * True when the class calls a {@code java.util.concurrent} object's method that goes to the origin for a shared
     * receiver but its class file, before Java 7, cannot take the {@code invokedynamic} that would lead it there. Only
     * calls naming a java.util.concurrent type count: an old library's {@code List.add} is almost always on a list of
     * its own, and a warning for each such class would bury the one that matters.
     */
    boolean leavesConcurrentCallsLocal()
    {
        return !canInvokeDynamic() && namesConcurrentMethod(true);
    }

    /** True when the class has a monitor, a synchronized method or a reference to a monitor method of Object. */
    boolean synchronizes()
    {
        return synchronizes || namesMonitorMethod();
    }

    /** The fields and methods, as JVMS 4.1 lays them out: own fields' flags, and a monitor anywhere. */
    private void readMembers(final Map<String, Integer> ownFields)
    {
        int offset = reader.header + 6;
        offset += 2 + 2 * reader.readUnsignedShort(offset); // interfaces
        final int fieldCount = reader.readUnsignedShort(offset);
        offset += 2;
        for (int i = 0; i < fieldCount; i++)
        {
            ownFields.put(reader.readUTF8(offset + 2, chars) + reader.readUTF8(offset + 4, chars),
                reader.readUnsignedShort(offset));
            offset = skipAttributes(offset + 6);
        }
        final int methodCount = reader.readUnsignedShort(offset);
        offset += 2;
        for (int i = 0; i < methodCount && !synchronizes; i++)
        {
            synchronizes = MonitorSites.isSynchronizedWithCode(
                reader.readUnsignedShort(offset), reader.readUTF8(offset + 2, chars));
            int attribute = offset + 8;
            for (int a = reader.readUnsignedShort(offset + 6); a > 0 && !synchronizes; a--)
            {
                if ("Code".equals(reader.readUTF8(attribute, chars)))
                {
                    synchronizes = hasMonitorInstruction(attribute + 14, reader.readInt(attribute + 10));
                }
                attribute += 6 + reader.readInt(attribute + 2);
            }
            offset = skipAttributes(offset + 6);
        }
    }

    private int skipAttributes(final int countOffset)
    {
        int offset = countOffset + 2;
        for (int a = reader.readUnsignedShort(countOffset); a > 0; a--)
        {
            offset += 6 + reader.readInt(offset + 2);
        }
        return offset;
    }

    private static void fill(final int fromOpcode, final int toOpcode, final int length)
    {
        for (int opcode = fromOpcode; opcode <= toOpcode; opcode++)
        {
            LENGTHS[opcode] = (byte)length;
        }
    }

    /** Walks the bytecode by instruction lengths (JVMS 6.5); an opcode it does not know counts as a monitor. */
    private boolean hasMonitorInstruction(final int code, final int codeLength)
    {
        int pc = 0;
        while (pc < codeLength)
        {
            final int opcode = reader.readByte(code + pc);
            if (opcode == Opcodes.MONITORENTER || opcode == Opcodes.MONITOREXIT)
            {
                return true;
            }
            final int length = LENGTHS[opcode];
            if (length > 0)
            {
                pc += length;
            }
            else if (opcode == Opcodes.TABLESWITCH)
            {
                final int table = code + ((pc + 4) & ~3);
                pc = table - code + 12 + 4 * (reader.readInt(table + 8) - reader.readInt(table + 4) + 1);
            }
            else if (opcode == Opcodes.LOOKUPSWITCH)
            {
                final int table = code + ((pc + 4) & ~3);
                pc = table - code + 8 + 8 * reader.readInt(table + 4);
            }
            else if (opcode == 0xc4) // wide
            {
                pc += reader.readByte(code + pc + 1) == Opcodes.IINC ? 6 : 4;
            }
            else
            {
                return true;
            }
        }
        return false;
    }

    /** A reference to one of {@code Object}'s monitor methods, by a call or by a method handle (whichever owner). */
    private boolean namesMonitorMethod()
    {
        for (int i = 1; i < reader.getItemCount(); i++)
        {
            final int offset = reader.getItem(i);
            final int tag = offset == 0 ? 0 : reader.readByte(offset - 1);
            if (tag == CONSTANT_METHODREF || tag == CONSTANT_INTERFACE_METHODREF)
            {
                final int nameAndType = reader.getItem(reader.readUnsignedShort(offset + 2));
                if (MONITOR_METHODS.contains(reader.readUTF8(nameAndType, chars) +
                    reader.readUTF8(nameAndType + 2, chars)))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A reference to a method of a {@code java.util.concurrent} type that goes to the origin for a shared receiver,
     * called or named by a method handle.
     */
    private boolean namesConcurrentMethod(final boolean concurrentOwnersOnly)
    {
        for (int i = 1; i < reader.getItemCount(); i++)
        {
            final int offset = reader.getItem(i);
            final int tag = offset == 0 ? 0 : reader.readByte(offset - 1);
            if (tag == CONSTANT_METHODREF || tag == CONSTANT_INTERFACE_METHODREF)
            {
                final String owner = reader.readClass(offset, chars);
                final int nameAndType = reader.getItem(reader.readUnsignedShort(offset + 2));
                if ((!concurrentOwnersOnly || owner.startsWith("java/util/concurrent/")) &&
                    ConcurrentTypes.isSharedConcurrentMethod(
                    owner, reader.readUTF8(nameAndType, chars), reader.readUTF8(nameAndType + 2, chars)))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean canInvokeDynamic()
    {
        return reader.readUnsignedShort(6) >= Opcodes.V1_7;
    }

    /** A field reference that resolves to a volatile field of an application class, read or written. */
    private boolean namesVolatileField()
    {
        for (int i = 1; i < reader.getItemCount(); i++)
        {
            final int offset = reader.getItem(i);
            if (offset != 0 && reader.readByte(offset - 1) == CONSTANT_FIELDREF)
            {
                final String owner = reader.readClass(offset, chars);
                final int nameAndType = reader.getItem(reader.readUnsignedShort(offset + 2));
                final String name = reader.readUTF8(nameAndType, chars);
                final String descriptor = reader.readUTF8(nameAndType + 2, chars);
                if (volatileFields.mayBeVolatile(owner, name, descriptor))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
