package dev.virgo.runtime.node;

import dev.virgo.runtime.log.VirgoLog;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rewrites, in an application class a node defines, the call sites through which a moved thread would otherwise see
 * the node instead of itself: {@code Thread.currentThread()} and the calls on a {@code Thread} that must describe the
 * running thread, {@code LockSupport.unpark}, {@code System.exit}, {@code Runtime.exit}, {@code Runtime.halt} and
 * {@code System.setProperties}. Each becomes a static call to {@link MovedThreadCalls} with the same operands (the
 * receiver first), so the stack and the frames are unchanged. Method references to the static ones
 * ({@code Thread::currentThread}, {@code System::exit}, ...) are rewritten in lambda bootstrap arguments too.
 *
 * <p>A call on a {@code Thread} is written against the receiver's static type, which may be an application subclass:
 * the rewriter asks a {@link Hierarchy} whether that type is a {@code Thread}. A {@code super.interrupt()} (an
 * {@code invokespecial}) is rewritten only when it reaches {@code Thread}'s own method, not a superclass's override.
 *
 * <p>The class's synchronization sites (monitors, {@code synchronized} methods, {@code wait}/{@code notify},
 * {@code volatile} fields) are rewritten to lead to {@link dev.virgo.runtime.sharing.SyncSites} by a
 * {@link SyncSiteRewriter} chained after this one, and so are the calls of {@code java.util.concurrent} objects'
 * methods (a class file before Java 7 keeps them, with a warning once per class). A class is returned unchanged,
 * without being written, when its constant pool names none of the calls above and a {@link SiteSurvey} finds no
 * synchronization site.
 */
final class MovedCodeRewriter
{
    /** What the rewriter needs to know of classes other than the one it rewrites. */
    interface Hierarchy
    {
        /** @return the internal name of the superclass, or null when unknown (or for {@code java/lang/Object}). */
        String superName(String internalName);

        /** @return true when the class itself declares the method. */
        boolean declares(String internalName, String name, String descriptor);

        /** @return the direct superinterfaces of the class or interface; empty when unknown. */
        String[] interfaces(String internalName);

        /** @return the access flags of the field the class itself declares, or -1 when it declares no such field. */
        int fieldAccess(String internalName, String name, String descriptor);

        /**
         * @return true for a class the node defines from the origin's bytes, false for the JDK's and Virgo's own
         * (never rewritten) and for a class it cannot find.
         */
        boolean isApplicationClass(String internalName);
    }

    private static final String THREAD = "java/lang/Thread";
    private static final String CALLS = Type.getInternalName(MovedThreadCalls.class);
    private static final int MAX_DEPTH = 64;
    /** The classes already warned of, by internal name: once per JVM, not once per moved thread's class loader. */
    private static final Set<String> LOCAL_CONCURRENT_CALLS_WARNED = ConcurrentHashMap.newKeySet();

    /** Static sites and sites on final JDK classes: {@code owner.name descriptor} to the helper's name. */
    private static final Map<String, String> EXACT = Map.of(
        "java/lang/Thread.currentThread()Ljava/lang/Thread;", "currentThread",
        "java/util/concurrent/locks/LockSupport.unpark(Ljava/lang/Thread;)V", "unpark",
        "java/lang/System.exit(I)V", "exit",
        "java/lang/System.setProperties(Ljava/util/Properties;)V", "setProperties",
        "java/lang/Runtime.exit(I)V", "runtimeExit",
        "java/lang/Runtime.halt(I)V", "runtimeHalt");

    /** Instance methods of {@code Thread}, by {@code name descriptor}: the helper for a virtual call. */
    private static final Map<String, String> ON_THREAD = new HashMap<>();
    /** The same methods when called with {@code super.}: the helper that skips the override check. */
    private static final Map<String, String> ON_THREAD_SUPER = new HashMap<>();

    static
    {
        final String[][] methods = {
            {"start", "()V", "superStart"},
            {"isInterrupted", "()Z", "superIsInterrupted"},
            {"interrupt", "()V", "superInterrupt"},
            {"isAlive", "()Z", "isAlive"},
            {"getState", "()Ljava/lang/Thread$State;", "superGetState"},
            {"join", "()V", "join"},
            {"join", "(J)V", "join"},
            {"join", "(JI)V", "join"},
            {"join", "(Ljava/time/Duration;)Z", "join"},
            {"getStackTrace", "()[Ljava/lang/StackTraceElement;", "superGetStackTrace"},
            {"setName", "(Ljava/lang/String;)V", "setName"},
            {"setPriority", "(I)V", "setPriority"},
            {"setDaemon", "(Z)V", "setDaemon"},
            {"setContextClassLoader", "(Ljava/lang/ClassLoader;)V", "superSetContextClassLoader"},
        };
        for (final String[] method : methods)
        {
            ON_THREAD.put(method[0] + method[1], method[0]);
            ON_THREAD_SUPER.put(method[0] + method[1], method[2]);
        }
    }

    private MovedCodeRewriter()
    {
    }

    /**
     * @param bytes     a class file of the application.
     * @param hierarchy answers for the other classes the call sites name.
     * @return the rewritten class file, or null when it has no call or synchronization site to rewrite.
     */
    static byte[] rewrite(final byte[] bytes, final Hierarchy hierarchy)
    {
        final ClassReader reader = new ClassReader(bytes);
        final boolean callsThread = namesAnyCandidate(reader);
        final SiteSurvey survey = SiteSurvey.of(reader, hierarchy);
        if (survey.leavesConcurrentCallsLocal() && LOCAL_CONCURRENT_CALLS_WARNED.add(reader.getClassName()))
        {
            VirgoLog.warn(reader.getClassName().replace('/', '.') + " (class file version " +
                reader.readUnsignedShort(6) + ", before Java 7) calls java.util.concurrent methods that cannot " +
                "reach the origin from a node: on a shared atomic, lock, latch, barrier, semaphore, phaser or " +
                "concurrent collection they act on the node's copy alone");
        }
        final boolean synchronizes = survey.found();
        if (!callsThread && !synchronizes)
        {
            return null;
        }
        final ClassWriter writer = new ClassWriter(reader, 0);
        final SyncSiteRewriter syncSites = synchronizes ? new SyncSiteRewriter(writer, survey.volatileFields) : null;
        final SiteRewriter sites = new SiteRewriter(
            synchronizes ? syncSites : writer, reader.getClassName(), reader.getSuperName(), hierarchy);
        // the sync rewriter adds a frame and tracks an uninitialized this through them: it needs them expanded
        reader.accept(sites, synchronizes ? ClassReader.EXPAND_FRAMES : 0);
        return sites.changed || (synchronizes && syncSites.changed) ? writer.toByteArray() : null;
    }

    /** A cheap pass over the constant pool: does any method reference name one of the methods above? */
    private static boolean namesAnyCandidate(final ClassReader reader)
    {
        final char[] chars = new char[reader.getMaxStringLength()];
        for (int i = 1; i < reader.getItemCount(); i++)
        {
            final int offset = reader.getItem(i);
            if (offset == 0 || reader.readByte(offset - 1) != 10) // CONSTANT_Methodref
            {
                continue;
            }
            final String owner = reader.readClass(offset, chars);
            final int nameAndType = reader.getItem(reader.readUnsignedShort(offset + 2));
            final String nameAndDescriptor =
                reader.readUTF8(nameAndType, chars) + reader.readUTF8(nameAndType + 2, chars);
            if (ON_THREAD.containsKey(nameAndDescriptor) || EXACT.containsKey(owner + "." + nameAndDescriptor))
            {
                return true;
            }
        }
        return false;
    }

    private static final class SiteRewriter extends ClassVisitor
    {
        private final String className;
        private final String superName;
        private final Hierarchy hierarchy;
        private final Map<String, Boolean> threadTypes = new HashMap<>();
        boolean changed;

        SiteRewriter(final ClassVisitor next, final String className, final String superName, final Hierarchy hierarchy)
        {
            super(Opcodes.ASM9, next);
            this.className = className;
            this.superName = superName;
            this.hierarchy = hierarchy;
        }

        @Override
        public MethodVisitor visitMethod(
            final int access, final String name, final String descriptor, final String signature,
            final String[] exceptions)
        {
            return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions))
            {
                @Override
                public void visitMethodInsn(
                    final int opcode, final String owner, final String name, final String descriptor,
                    final boolean isInterface)
                {
                    final String helper = helperFor(opcode, owner, name, descriptor);
                    if (null == helper)
                    {
                        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                        return;
                    }
                    changed = true;
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, CALLS, helper,
                        helperDescriptor(opcode, owner, descriptor), false);
                }

                @Override
                public void visitInvokeDynamicInsn(
                    final String name, final String descriptor, final Handle bootstrap, final Object... arguments)
                {
                    final Object[] rewritten = arguments.clone();
                    for (int i = 0; i < rewritten.length; i++)
                    {
                        if (rewritten[i] instanceof Handle)
                        {
                            rewritten[i] = rewriteHandle((Handle)rewritten[i]);
                        }
                    }
                    super.visitInvokeDynamicInsn(name, descriptor, bootstrap, rewritten);
                }
            };
        }

        private String helperFor(final int opcode, final String owner, final String name, final String descriptor)
        {
            final String exact = EXACT.get(owner + "." + name + descriptor);
            if (null != exact)
            {
                final boolean isStatic = !"java/lang/Runtime".equals(owner);
                return (opcode == Opcodes.INVOKESTATIC) == isStatic ? exact : null;
            }
            if (opcode == Opcodes.INVOKEVIRTUAL)
            {
                final String helper = ON_THREAD.get(name + descriptor);
                return null != helper && isThread(owner) ? helper : null;
            }
            if (opcode == Opcodes.INVOKESPECIAL)
            {
                final String helper = ON_THREAD_SUPER.get(name + descriptor);
                return null != helper && reachesThreadsOwn(owner, name, descriptor) ? helper : null;
            }
            return null;
        }

        /** The helper takes the receiver first (as a Thread, or a Runtime) and then the call's own operands. */
        private static String helperDescriptor(final int opcode, final String owner, final String descriptor)
        {
            if (opcode == Opcodes.INVOKESTATIC)
            {
                return descriptor;
            }
            final String receiver = "java/lang/Runtime".equals(owner) ? "Ljava/lang/Runtime;" : "Ljava/lang/Thread;";
            return "(" + receiver + descriptor.substring(1);
        }

        /** Method references to the static calls: {@code Thread::currentThread}, {@code System::exit}, ... */
        private Object rewriteHandle(final Handle handle)
        {
            final String helper = EXACT.get(handle.getOwner() + "." + handle.getName() + handle.getDesc());
            if (null == helper)
            {
                return handle;
            }
            final boolean isRuntime = "java/lang/Runtime".equals(handle.getOwner());
            if (handle.getTag() != (isRuntime ? Opcodes.H_INVOKEVIRTUAL : Opcodes.H_INVOKESTATIC))
            {
                return handle;
            }
            changed = true;
            final String descriptor =
                isRuntime ? "(Ljava/lang/Runtime;" + handle.getDesc().substring(1) : handle.getDesc();
            return new Handle(Opcodes.H_INVOKESTATIC, CALLS, helper, descriptor, false);
        }

        private boolean isThread(final String owner)
        {
            return threadTypes.computeIfAbsent(owner, this::walkToThread);
        }

        private boolean walkToThread(final String owner)
        {
            String type = owner;
            for (int depth = 0; null != type && depth < MAX_DEPTH; depth++)
            {
                if (THREAD.equals(type))
                {
                    return true;
                }
                if ("java/lang/Object".equals(type) || type.startsWith("["))
                {
                    return false;
                }
                type = superOf(type);
            }
            return false;
        }

        /** Does {@code invokespecial owner.name} run {@code Thread}'s own method, no class between overriding it? */
        private boolean reachesThreadsOwn(final String owner, final String name, final String descriptor)
        {
            if (className.equals(owner))
            {
                return false; // the class's own (private) method, never Thread's
            }
            String type = owner;
            for (int depth = 0; null != type && depth < MAX_DEPTH; depth++)
            {
                if (THREAD.equals(type))
                {
                    return true;
                }
                if ("java/lang/Object".equals(type) || hierarchy.declares(type, name, descriptor))
                {
                    return false;
                }
                type = superOf(type);
            }
            return false;
        }

        private String superOf(final String type)
        {
            return className.equals(type) ? superName : hierarchy.superName(type);
        }
    }
}
