package dev.virgo.runtime.classes;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads, in the application's bytecode, what the code a moved thread can run does that a copy of its objects could
 * not keep: where it synchronizes with other threads while it runs, and whose statics it uses.
 *
 * <p>A <em>site</em> of synchronization is any of: a {@code synchronized} method; a {@code synchronized} block
 * ({@code monitorenter}); a call to {@code Object.wait}, {@code notify} or {@code notifyAll};
 * {@code LockSupport.park*}/{@code unpark}; a {@code VarHandle} access other than plain {@code get}/{@code set}; a
 * read or write of a {@code volatile} static field of an application class. It is described as
 * {@code com.acme.Worker.run synchronizes on a monitor (monitorenter)}, so the user knows what to change.
 * {@code Thread.onSpinWait} is not a site: what matters is what the code spins on, and spinning on a volatile or an
 * atomic is refused for those, while spinning on Virgo's shared heap is what it is for.
 *
 * <p>Which code: {@link #reachableFrom} starts at the thread's {@code run()} (for a lambda or method reference, at
 * its implementation method) and follows calls into application classes: {@code invokestatic}, {@code invokespecial},
 * {@code invokevirtual}, {@code invokeinterface}, and the method handles among {@code invokedynamic}'s bootstrap
 * arguments (the bodies of lambdas and method references the code creates). A virtual call is resolved
 * conservatively, to the method its owner inherits and to every application class, among the classes the code can
 * name (the transitive closure of their constant pools), that declares the same name and descriptor. Every instance
 * method of an application class the code instantiates counts as reachable too, since the JDK may call it back (a
 * {@code Comparator} handed to {@code sort}, {@code equals} and {@code hashCode} in a map). Code of the JDK and of
 * Virgo is not scanned: a {@code StringBuffer} or {@code Vector} the thread uses synchronizes only on itself, and is
 * copied and merged like any object. Calls made through reflection or method handles the code builds itself are not
 * followed. For objects that exist before the thread starts, the origin asks {@link #declaredIn} about their classes.
 *
 * <p>Results are cached per class in {@link ClassValue}s, so the scan of a class costs once per run of the program
 * and later starts pay a lookup. Thread safe.
 */
public final class CodeScan
{
    private static final String OBJECT_MONITOR_WAIT = "wait";
    private static final Set<String> VAR_HANDLE_SYNCHRONIZING_MODES = varHandleSynchronizingModes();

    /** What a scan found: the first site of synchronization, and the classes whose statics the code uses. */
    public static final class Findings
    {
        static final Findings NOTHING = new Findings(null, Set.of());

        private final String site;
        private final Set<String> staticsUsed;

        Findings(final String site, final Set<String> staticsUsed)
        {
            this.site = site;
            this.staticsUsed = staticsUsed;
        }

        /** @return where the code first synchronizes with other threads (nearest the entry), or null. */
        public String synchronizationSite()
        {
            return site;
        }

        /**
         * @return true when the code reads or writes a static field declared by {@code type}. Complete only when
         * {@link #synchronizationSite()} is null: the scan stops at the first site.
         */
        public boolean usesStaticsOf(final Class<?> type)
        {
            return staticsUsed.contains(internalName(type));
        }
    }

    private final ClassValue<Reachable> fromRun = new ClassValue<>()
    {
        @Override
        protected Reachable computeValue(final Class<?> type)
        {
            return new Reachable(isLambda(type));
        }
    };
    private final ClassValue<Findings> declared = new ClassValue<>()
    {
        @Override
        protected Findings computeValue(final Class<?> type)
        {
            return new Scan(type.getClassLoader()).declared(internalName(type));
        }
    };

    /**
     * @param runnable the object whose {@code run()} the thread runs: a {@code Runnable}, a {@code Thread} subclass, a
     *                 lambda or a method reference.
     * @return what the code that {@code run()} can reach does.
     */
    public Findings reachableFrom(final Object runnable)
    {
        final Reachable reachable = fromRun.get(runnable.getClass());
        Findings findings = reachable.findings;
        if (null == findings)
        {
            // The implementation method of a lambda is only known from an instance: the first one decides.
            findings = reachable.lambda ? scanLambda(runnable) : scanRun(runnable.getClass());
            reachable.findings = findings; // a race computes the same value twice
        }
        return findings;
    }

    /**
     * @return what the methods declared by {@code type} and its application superclasses do themselves (calls are
     * not followed). For an object of the graph: other threads may call any of them on the original while the thread
     * runs, and the JDK may call them on the thread's behalf.
     */
    public Findings declaredIn(final Class<?> type)
    {
        return declared.get(type);
    }

    /** @return true for the hidden class of a lambda or method reference. */
    public static boolean isLambda(final Class<?> type)
    {
        return type.isHidden() || type.isSynthetic() && type.getName().contains("$$Lambda");
    }

    private static Findings scanRun(final Class<?> type)
    {
        final String owner = internalName(type);
        return new Scan(type.getClassLoader()).reachable(new Call(Call.EXACT, owner, "run", "()V"), owner);
    }

    private static Findings scanLambda(final Object lambda)
    {
        final SerializedLambda form = serializedForm(lambda);
        if (null == form)
        {
            // Not serializable: it cannot be copied either, and the snapshot says so.
            return Findings.NOTHING;
        }
        final int kind;
        switch (form.getImplMethodKind())
        {
            case MethodHandleInfo.REF_invokeStatic:
                kind = Call.STATIC;
                break;
            case MethodHandleInfo.REF_invokeVirtual:
            case MethodHandleInfo.REF_invokeInterface:
                kind = Call.VIRTUAL;
                break;
            default:
                kind = Call.EXACT;
        }
        final Scan scan = new Scan(lambda.getClass().getClassLoader());
        return scan.reachable(
            new Call(kind, form.getImplClass(), form.getImplMethodName(), form.getImplMethodSignature()),
            form.getImplClass(), form.getCapturingClass());
    }

    /** The lambda's {@code writeReplace()}: how Kryo copies it too (Virgo makes chosen lambdas serializable). */
    private static SerializedLambda serializedForm(final Object lambda)
    {
        try
        {
            final Method writeReplace = lambda.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            final Object form = writeReplace.invoke(lambda);
            return form instanceof SerializedLambda ? (SerializedLambda)form : null;
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return null;
        }
    }

    private static String internalName(final Class<?> type)
    {
        return type.getName().replace('.', '/');
    }

    private static Set<String> varHandleSynchronizingModes()
    {
        final Set<String> names = new HashSet<>();
        for (final VarHandle.AccessMode mode : VarHandle.AccessMode.values())
        {
            names.add(mode.methodName());
        }
        names.remove("get"); // plain reads and writes, as of a non-volatile field
        names.remove("set");
        return Collections.unmodifiableSet(names);
    }

    /** The decision for one class whose {@code run()} a thread runs, made at its first start. */
    private static final class Reachable
    {
        final boolean lambda;
        volatile Findings findings;

        Reachable(final boolean lambda)
        {
            this.lambda = lambda;
        }
    }

    /**
     * A call to resolve: {@link #EXACT} and {@link #STATIC} to the method the owner declares or inherits,
     * {@link #VIRTUAL} also to every override the closure holds.
     */
    private static final class Call
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

    private static final class FieldAccess
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

    private static final class MethodInfo
    {
        final ClassInfo owner;
        final String name;
        final String key;
        final int access;
        final List<Call> calls = new ArrayList<>();
        final List<FieldAccess> staticAccesses = new ArrayList<>(0);
        final List<String> instantiated = new ArrayList<>(0);
        String site;

        MethodInfo(final ClassInfo owner, final String name, final String descriptor, final int access)
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

        void foundSite(final String what)
        {
            if (null == site)
            {
                site = describe() + " " + what;
            }
        }

        boolean hasBody()
        {
            return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
        }
    }

    private static final class ClassInfo
    {
        final String name;
        String superName;
        String[] interfaces = new String[0];
        final Map<String, MethodInfo> methods = new LinkedHashMap<>();
        final Set<String> staticFields = new HashSet<>();
        final Set<String> volatileStatics = new HashSet<>();
        Set<String> referenced = Collections.emptySet();

        ClassInfo(final String name)
        {
            this.name = name;
        }
    }

    /** One scan: parses each application class once, through one class loader. */
    private static final class Scan
    {
        private static final ClassInfo NOT_SCANNED = new ClassInfo("");

        private final ClassLoader loader;
        private final Map<String, ClassInfo> classes = new HashMap<>();
        private final Map<String, List<MethodInfo>> implementations = new HashMap<>();

        Scan(final ClassLoader loader)
        {
            this.loader = loader;
        }

        /** Breadth first, so the site named is the one nearest to the entry. */
        Findings reachable(final Call entry, final String... closureRoots)
        {
            closure(closureRoots);
            final Set<MethodInfo> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            final Set<String> instantiated = new HashSet<>();
            final Set<String> staticsUsed = new HashSet<>();
            final Deque<MethodInfo> pending = new ArrayDeque<>();
            enqueue(entry, seen, pending);
            while (!pending.isEmpty())
            {
                final MethodInfo method = pending.poll();
                final String site = siteOf(method, staticsUsed);
                if (null != site)
                {
                    return new Findings(site, staticsUsed);
                }
                for (final Call call : method.calls)
                {
                    enqueue(call, seen, pending);
                }
                for (final String created : method.instantiated)
                {
                    if (instantiated.add(created))
                    {
                        // The JDK may call any instance method of an object the code creates: a comparator, equals.
                        for (ClassInfo type = info(created); null != type; type = info(type.superName))
                        {
                            for (final MethodInfo callable : type.methods.values())
                            {
                                if ((callable.access & Opcodes.ACC_STATIC) == 0 && seen.add(callable))
                                {
                                    pending.add(callable);
                                }
                            }
                        }
                    }
                }
            }
            return new Findings(null, staticsUsed);
        }

        Findings declared(final String internalName)
        {
            final Set<String> staticsUsed = new HashSet<>();
            for (ClassInfo type = info(internalName); null != type; type = info(type.superName))
            {
                for (final MethodInfo method : type.methods.values())
                {
                    if ("<clinit>".equals(method.name))
                    {
                        continue; // runs once, here, before the thread existed
                    }
                    final String site = siteOf(method, staticsUsed);
                    if (null != site)
                    {
                        return new Findings(site, staticsUsed);
                    }
                }
            }
            return new Findings(null, staticsUsed);
        }

        private void enqueue(final Call call, final Set<MethodInfo> seen, final Deque<MethodInfo> pending)
        {
            final MethodInfo declaration = resolve(call.owner, call.key);
            if (null != declaration && seen.add(declaration))
            {
                pending.add(declaration);
            }
            if (call.kind == Call.VIRTUAL)
            {
                for (final MethodInfo override : implementations.getOrDefault(call.key, List.of()))
                {
                    if (seen.add(override))
                    {
                        pending.add(override);
                    }
                }
            }
        }

        /** Also notes the classes whose statics the method uses. */
        private String siteOf(final MethodInfo method, final Set<String> staticsUsed)
        {
            for (final FieldAccess access : method.staticAccesses)
            {
                final ClassInfo declaring = staticFieldOwner(access.owner, access.name);
                if (null != declaring)
                {
                    staticsUsed.add(declaring.name);
                    if (null == method.site && declaring.volatileStatics.contains(access.name))
                    {
                        return method.describe() + (access.write ? " writes" : " reads") + " volatile static field " +
                            declaring.name.replace('/', '.') + "." + access.name;
                    }
                }
            }
            return method.site;
        }

        /** JVMS 5.4.3.3: the class itself, then its superclasses, then the interfaces' default methods. */
        private MethodInfo resolve(final String owner, final String key)
        {
            final List<ClassInfo> chain = new ArrayList<>();
            for (ClassInfo type = info(owner); null != type; type = info(type.superName))
            {
                final MethodInfo method = type.methods.get(key);
                if (null != method)
                {
                    return method;
                }
                chain.add(type);
            }
            final Set<String> visited = new HashSet<>();
            final Deque<String> interfaces = new ArrayDeque<>();
            for (final ClassInfo type : chain)
            {
                Collections.addAll(interfaces, type.interfaces);
            }
            while (!interfaces.isEmpty())
            {
                final ClassInfo type = info(interfaces.poll());
                if (null != type && visited.add(type.name))
                {
                    final MethodInfo method = type.methods.get(key);
                    if (null != method && method.hasBody())
                    {
                        return method;
                    }
                    Collections.addAll(interfaces, type.interfaces);
                }
            }
            return null;
        }

        /** JVMS 5.4.3.2: the class itself, then its superinterfaces, then its superclass. */
        private ClassInfo staticFieldOwner(final String owner, final String field)
        {
            final ClassInfo type = info(owner);
            if (null == type)
            {
                return null;
            }
            if (type.staticFields.contains(field))
            {
                return type;
            }
            for (final String implemented : type.interfaces)
            {
                final ClassInfo declaring = staticFieldOwner(implemented, field);
                if (null != declaring)
                {
                    return declaring;
                }
            }
            return null == type.superName ? null : staticFieldOwner(type.superName, field);
        }

        /** Every application class the roots can name, transitively; indexes their instance methods by signature. */
        private void closure(final String... roots)
        {
            final Set<String> visited = new HashSet<>();
            final Deque<String> pending = new ArrayDeque<>();
            Collections.addAll(pending, roots);
            while (!pending.isEmpty())
            {
                final String name = pending.poll();
                if (null == name || !visited.add(name))
                {
                    continue;
                }
                final ClassInfo type = info(name);
                if (null == type)
                {
                    continue;
                }
                for (final String referenced : type.referenced)
                {
                    if (!visited.contains(referenced))
                    {
                        pending.add(referenced);
                    }
                }
                for (final MethodInfo method : type.methods.values())
                {
                    if ((method.access & Opcodes.ACC_STATIC) == 0 && method.hasBody() && !method.name.startsWith("<"))
                    {
                        implementations.computeIfAbsent(method.key, k -> new ArrayList<>()).add(method);
                    }
                }
            }
        }

        /** @return the parsed class, or null for the JDK's, Virgo's, hidden and unreadable classes. */
        private ClassInfo info(final String internalName)
        {
            if (null == internalName)
            {
                return null;
            }
            ClassInfo type = classes.get(internalName);
            if (null == type)
            {
                type = parse(internalName);
                classes.put(internalName, null == type ? NOT_SCANNED : type);
            }
            return type == NOT_SCANNED ? null : type;
        }

        private ClassInfo parse(final String internalName)
        {
            final String className = internalName.replace('/', '.');
            if (ApplicationClasses.isVirgoOrJdkClassName(className) || className.contains("$$Lambda"))
            {
                return null;
            }
            final ClassReader reader = ClassFiles.read(loader, internalName);
            if (null == reader)
            {
                return null;
            }
            try
            {
                final ClassInfo type = new ClassInfo(internalName);
                type.referenced = ClassFiles.referencedClasses(reader);
                reader.accept(new ClassParser(type), ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
                return type;
            }
            catch (final RuntimeException ex)
            {
                // A class file ASM cannot read (a newer format) is left out, like the JDK's: start() must not fail.
                return null;
            }
        }
    }

    private static final class ClassParser extends ClassVisitor
    {
        private final ClassInfo type;

        ClassParser(final ClassInfo type)
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
            final MethodInfo method = new MethodInfo(type, name, descriptor, access);
            type.methods.put(method.key, method);
            return new MethodParser(method);
        }
    }

    private static final class MethodParser extends MethodVisitor
    {
        private final MethodInfo method;

        MethodParser(final MethodInfo method)
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
                method.foundSite("calls LockSupport." + name);
            }
            else if ("java/lang/invoke/VarHandle".equals(owner) && VAR_HANDLE_SYNCHRONIZING_MODES.contains(name))
            {
                method.foundSite("calls VarHandle." + name);
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
