package dev.virgo.runtime.classes;

import dev.virgo.runtime.sharing.ConcurrentTypes;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link CodeScan} needs of one application class file: its supertypes, the classes its constant pool names,
 * its static fields (which are volatile), and per method the calls it makes, the statics it reads or writes, the
 * classes it instantiates and its first synchronization site.
 */
final class ScannedClass
{
    private static final String OBJECT_MONITOR_WAIT = "wait";

    final String name;
    String superName;
    String[] interfaces = new String[0];
    final Map<String, MethodCode> methods = new LinkedHashMap<>();
    final Set<String> staticFields = new HashSet<>();
    final Set<String> volatileStatics = new HashSet<>();
    Set<String> referenced = Collections.emptySet();

    private ScannedClass(final String name)
    {
        this.name = name;
    }

    /**
     * Reads what the scan needs from a class file.
     *
     * @throws RuntimeException when ASM cannot read the class file (a format newer than it knows).
     */
    static ScannedClass parse(final String internalName, final ClassReader reader)
    {
        final ScannedClass type = new ScannedClass(internalName);
        type.referenced = ClassFiles.referencedClasses(reader);
        reader.accept(new ClassParser(type), ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return type;
    }

    /**
     * A call to resolve: {@link #EXACT} and {@link #STATIC} to the method the owner declares or inherits,
     * {@link #VIRTUAL} also to every override the closure holds.
     */
    static final class Call
    {
        static final int EXACT = 0;
        static final int STATIC = 1;
        static final int VIRTUAL = 2;

        final int kind;
        final String owner;
        final String key;

        Call(final int kind, final String owner, final String name, final String descriptor)
        {
            this.kind = kind;
            this.owner = owner;
            this.key = name + descriptor;
        }
    }

    static final class FieldAccess
    {
        final String owner;
        final String name;
        final boolean write;

        FieldAccess(final String owner, final String name, final boolean write)
        {
            this.owner = owner;
            this.name = name;
            this.write = write;
        }
    }

    static final class MethodCode
    {
        final ScannedClass owner;
        final String name;
        final String key;
        final int access;
        final List<Call> calls = new ArrayList<>();
        final List<FieldAccess> staticAccesses = new ArrayList<>(0);
        final List<String> instantiated = new ArrayList<>(0);
        /** The first site of synchronization of any kind. */
        String site;
        /** The first one shared objects do not keep (LockSupport, an updater made outside a static initializer). */
        String unsharedSite;

        MethodCode(final ScannedClass owner, final String name, final String descriptor, final int access)
        {
            this.owner = owner;
            this.name = name;
            this.key = name + descriptor;
            this.access = access;
            if ((access & Opcodes.ACC_SYNCHRONIZED) != 0)
            {
                site = describe() + " is a synchronized method";
            }
        }

        String describe()
        {
            return owner.name.replace('/', '.') + "." + name;
        }

        /** A monitor, wait/notify or volatile site: shared objects keep it. */
        void foundSite(final String what)
        {
            if (null == site)
            {
                site = describe() + " " + what;
            }
        }

        /** A site shared objects do not keep. */
        void foundUnsharedSite(final String what)
        {
            foundSite(what);
            if (null == unsharedSite)
            {
                unsharedSite = describe() + " " + what;
            }
        }

        boolean hasBody()
        {
            return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
        }
    }

    private static final class ClassParser extends ClassVisitor
    {
        private final ScannedClass type;

        ClassParser(final ScannedClass type)
        {
            super(Opcodes.ASM9);
            this.type = type;
        }

        @Override
        public void visit(
            final int version, final int access, final String name, final String signature, final String superName,
            final String[] interfaces)
        {
            type.superName = superName;
            type.interfaces = null == interfaces ? new String[0] : interfaces;
        }

        @Override
        public FieldVisitor visitField(
            final int access, final String name, final String descriptor, final String signature, final Object value)
        {
            if ((access & Opcodes.ACC_STATIC) != 0)
            {
                type.staticFields.add(name);
                if ((access & Opcodes.ACC_VOLATILE) != 0)
                {
                    type.volatileStatics.add(name);
                }
            }
            return null;
        }

        @Override
        public MethodVisitor visitMethod(
            final int access, final String name, final String descriptor, final String signature,
            final String[] exceptions)
        {
            final MethodCode method = new MethodCode(type, name, descriptor, access);
            type.methods.put(method.key, method);
            return new MethodParser(method);
        }
    }

    private static final class MethodParser extends MethodVisitor
    {
        private final MethodCode method;

        MethodParser(final MethodCode method)
        {
            super(Opcodes.ASM9);
            this.method = method;
        }

        @Override
        public void visitInsn(final int opcode)
        {
            if (opcode == Opcodes.MONITORENTER)
            {
                method.foundSite("synchronizes on a monitor (monitorenter)");
            }
        }

        @Override
        public void visitTypeInsn(final int opcode, final String type)
        {
            if (opcode == Opcodes.NEW)
            {
                method.instantiated.add(type);
            }
        }

        @Override
        public void visitFieldInsn(final int opcode, final String owner, final String name, final String descriptor)
        {
            if (opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC)
            {
                method.staticAccesses.add(new FieldAccess(owner, name, opcode == Opcodes.PUTSTATIC));
            }
        }

        @Override
        public void visitMethodInsn(
            final int opcode, final String owner, final String name, final String descriptor, final boolean isInterface)
        {
            if (opcode != Opcodes.INVOKESTATIC && isObjectMonitorMethod(name, descriptor))
            {
                method.foundSite("calls Object." + name);
            }
            else if (opcode == Opcodes.INVOKESTATIC && "java/util/concurrent/locks/LockSupport".equals(owner) &&
                (name.startsWith("park") || "unpark".equals(name)))
            {
                method.foundUnsharedSite("calls LockSupport." + name);
            }
            else if (ConcurrentTypes.isVarHandleAccess(owner, name) && !"get".equals(name) && !"set".equals(name))
            {
                // Every access mode but the plain get and set (those read and write as a plain field does).
                // Kept when objects are shared: a node carries the access to the origin, like an atomic's call.
                method.foundSite("calls VarHandle." + name);
            }
            else if (makesAtomicAccessor(opcode, owner, name) && !"<clinit>".equals(method.name))
            {
                // An updater or a VarHandle the program keeps in a static is made by the origin's static initializer
                // and shared; one made here, while the thread runs on a node, would update the node's copies only.
                method.foundUnsharedSite("calls " + owner.substring(owner.lastIndexOf('/') + 1).replace('$', '.') +
                    "." + name + " outside a static initializer (made on a node, it would update copies)");
            }
            else if ("java/util/concurrent/locks/StampedLock".equals(owner) && name.startsWith("as"))
            {
                // asReadLock(), asWriteLock(), asReadWriteLock(): a view that is a Lock of the JVM it was made in, so a
                // moved thread would lock a copy; the stamps themselves are carried to the origin.
                method.foundUnsharedSite("calls StampedLock." + name + ", a view of this JVM's lock");
            }
            else
            {
                final int kind = opcode == Opcodes.INVOKESTATIC ? Call.STATIC :
                    opcode == Opcodes.INVOKESPECIAL ? Call.EXACT : Call.VIRTUAL;
                method.calls.add(new Call(kind, owner, name, descriptor));
            }
        }

        @Override
        public void visitInvokeDynamicInsn(
            final String name, final String descriptor, final Handle bootstrapMethod,
            final Object... bootstrapArguments)
        {
            addHandle(bootstrapMethod);
            for (final Object argument : bootstrapArguments)
            {
                if (argument instanceof Handle)
                {
                    addHandle((Handle)argument);
                }
            }
        }

        private void addHandle(final Handle handle)
        {
            final int kind;
            switch (handle.getTag())
            {
                case Opcodes.H_INVOKESTATIC:
                    kind = Call.STATIC;
                    break;
                case Opcodes.H_INVOKEVIRTUAL:
                case Opcodes.H_INVOKEINTERFACE:
                    kind = Call.VIRTUAL;
                    break;
                case Opcodes.H_INVOKESPECIAL:
                case Opcodes.H_NEWINVOKESPECIAL:
                    kind = Call.EXACT;
                    break;
                default:
                    return; // a field handle runs no code
            }
            method.calls.add(new Call(kind, handle.getOwner(), handle.getName(), handle.getDesc()));
        }

        /** A call that makes a field updater or a VarHandle. */
        private static boolean makesAtomicAccessor(final int opcode, final String owner, final String name)
        {
            if (owner.startsWith("java/util/concurrent/atomic/Atomic") && owner.endsWith("FieldUpdater"))
            {
                return opcode == Opcodes.INVOKESTATIC && "newUpdater".equals(name);
            }
            if ("java/lang/invoke/MethodHandles$Lookup".equals(owner))
            {
                return "findVarHandle".equals(name) || "findStaticVarHandle".equals(name) ||
                    "unreflectVarHandle".equals(name);
            }
            return "java/lang/invoke/MethodHandles".equals(owner) && name.endsWith("VarHandle");
        }

        /** These are final in Object, so a call of this name and descriptor on any receiver is Object's. */
        private static boolean isObjectMonitorMethod(final String name, final String descriptor)
        {
            if (OBJECT_MONITOR_WAIT.equals(name))
            {
                return "()V".equals(descriptor) || "(J)V".equals(descriptor) || "(JI)V".equals(descriptor);
            }
            return ("notify".equals(name) || "notifyAll".equals(name)) && "()V".equals(descriptor);
        }
    }
}
