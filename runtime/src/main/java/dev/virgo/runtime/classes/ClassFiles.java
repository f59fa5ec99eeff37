package dev.virgo.runtime.classes;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

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

    /**
     * The classes a class's own declarations and code name: its superclass and interfaces, the types of its fields,
     * the types in its methods' descriptors and {@code throws} clauses, and every class its instructions refer to
     * (owners of fields and methods, types instantiated, cast to, checked, caught or loaded as constants, and the
     * method handles and types among {@code invokedynamic}'s arguments). Unlike {@link #referencedClasses}, it leaves
     * out classes named only by the nest and inner-class attributes ({@code InnerClasses}, {@code NestHost},
     * {@code NestMembers}, {@code EnclosingMethod}, {@code PermittedSubclasses}): those load nothing and run nothing,
     * yet every nested class names its outer class there, which would make a {@code Runnable} nested in a program's
     * main class reach everything the main class names. Array classes are reduced to their element class.
     */
    public static Set<String> classesNamedByCode(final ClassReader reader)
    {
        final Set<String> names = new HashSet<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9)
        {
            @Override
            public void visit(
                final int version, final int access, final String name, final String signature,
                final String superName, final String[] interfaces)
            {
                addInternal(names, superName);
                for (final String type : interfaces)
                {
                    addInternal(names, type);
                }
            }

            @Override
            public FieldVisitor visitField(
                final int access, final String name, final String descriptor, final String signature,
                final Object value)
            {
                addType(names, Type.getType(descriptor));
                return null;
            }

            @Override
            public MethodVisitor visitMethod(
                final int access, final String name, final String descriptor, final String signature,
                final String[] exceptions)
            {
                addType(names, Type.getMethodType(descriptor));
                if (null != exceptions)
                {
                    for (final String type : exceptions)
                    {
                        addInternal(names, type);
                    }
                }
                return new CodeNames(names);
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return names;
    }

    /** The classes a method's instructions refer to. */
    private static final class CodeNames extends MethodVisitor
    {
        private final Set<String> names;

        CodeNames(final Set<String> names)
        {
            super(Opcodes.ASM9);
            this.names = names;
        }

        @Override
        public void visitTypeInsn(final int opcode, final String type)
        {
            addInternal(names, type);
        }

        @Override
        public void visitFieldInsn(final int opcode, final String owner, final String name, final String descriptor)
        {
            addInternal(names, owner);
            addType(names, Type.getType(descriptor));
        }

        @Override
        public void visitMethodInsn(
            final int opcode, final String owner, final String name, final String descriptor, final boolean isInterface)
        {
            addInternal(names, owner);
            addType(names, Type.getMethodType(descriptor));
        }

        @Override
        public void visitInvokeDynamicInsn(
            final String name, final String descriptor, final Handle bootstrap, final Object... arguments)
        {
            addType(names, Type.getMethodType(descriptor));
            addConstant(names, bootstrap);
            for (final Object argument : arguments)
            {
                addConstant(names, argument);
            }
        }

        @Override
        public void visitLdcInsn(final Object value)
        {
            addConstant(names, value);
        }

        @Override
        public void visitMultiANewArrayInsn(final String descriptor, final int dimensions)
        {
            addType(names, Type.getType(descriptor));
        }

        @Override
        public void visitTryCatchBlock(final Label start, final Label end, final Label handler, final String type)
        {
            if (null != type)
            {
                addInternal(names, type);
            }
        }
    }

    private static void addConstant(final Set<String> names, final Object constant)
    {
        if (constant instanceof Type)
        {
            addType(names, (Type)constant);
        }
        else if (constant instanceof Handle)
        {
            final Handle handle = (Handle)constant;
            addInternal(names, handle.getOwner());
            addType(names, handle.getDesc().startsWith("(") ?
                Type.getMethodType(handle.getDesc()) : Type.getType(handle.getDesc()));
        }
    }

    private static void addType(final Set<String> names, final Type type)
    {
        switch (type.getSort())
        {
            case Type.METHOD:
                addType(names, type.getReturnType());
                for (final Type argument : type.getArgumentTypes())
                {
                    addType(names, argument);
                }
                break;
            case Type.ARRAY:
                addType(names, type.getElementType());
                break;
            case Type.OBJECT:
                names.add(type.getInternalName());
                break;
            default:
                break;
        }
    }

    /** A name from an instruction or a declaration: a class's internal name, or an array's descriptor. */
    private static void addInternal(final Set<String> names, final String internalName)
    {
        if (null != internalName)
        {
            addType(names, internalName.startsWith("[") ? Type.getType(internalName) : Type.getObjectType(internalName));
        }
    }
}
