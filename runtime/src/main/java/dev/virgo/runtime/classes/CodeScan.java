package dev.virgo.runtime.classes;

import dev.virgo.runtime.classes.ScannedClass.Call;
import dev.virgo.runtime.classes.ScannedClass.FieldAccess;
import dev.virgo.runtime.classes.ScannedClass.MethodCode;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
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

    private final boolean sharedObjects;

    /** A scan that counts every site of synchronization (monitors, wait/notify and volatile statics included). */
    public CodeScan()
    {
        this(false);
    }

    /**
     * @param sharedObjects true when moved threads share objects with the origin while they run (issue 9): monitors,
     *                      {@code wait}/{@code notify} and volatile accesses are then kept (the node rewrites them into
     *                      operations at the origin, see {@code dev.virgo.runtime.sharing}), and only the sites that
     *                      sharing does not keep yet count: {@code LockSupport.park*}/{@code unpark} and
     *                      {@code VarHandle} atomics.
     */
    public CodeScan(final boolean sharedObjects)
    {
        this.sharedObjects = sharedObjects;
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

    private Findings scanRun(final Class<?> type)
    {
        final String owner = internalName(type);
        return new Scan(type.getClassLoader()).reachable(new Call(Call.EXACT, owner, "run", "()V"), owner);
    }

    private Findings scanLambda(final Object lambda)
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

    /** One scan: parses each application class once, through one class loader. */
    private final class Scan
    {
        private final ClassLoader loader;
        private final Map<String, ScannedClass> classes = new HashMap<>();
        private final Map<String, List<MethodCode>> implementations = new HashMap<>();

        Scan(final ClassLoader loader)
        {
            this.loader = loader;
        }

        /** Breadth first, so the site named is the one nearest to the entry. */
        Findings reachable(final Call entry, final String... closureRoots)
        {
            closure(closureRoots);
            final Set<MethodCode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            final Set<String> instantiated = new HashSet<>();
            final Set<String> staticsUsed = new HashSet<>();
            final Deque<MethodCode> pending = new ArrayDeque<>();
            enqueue(entry, seen, pending);
            while (!pending.isEmpty())
            {
                final MethodCode method = pending.poll();
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
                        for (ScannedClass type = info(created); null != type; type = info(type.superName))
                        {
                            for (final MethodCode callable : type.methods.values())
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
            for (ScannedClass type = info(internalName); null != type; type = info(type.superName))
            {
                for (final MethodCode method : type.methods.values())
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

        private void enqueue(final Call call, final Set<MethodCode> seen, final Deque<MethodCode> pending)
        {
            final MethodCode declaration = resolve(call.owner, call.key);
            if (null != declaration && seen.add(declaration))
            {
                pending.add(declaration);
            }
            if (call.kind == Call.VIRTUAL)
            {
                for (final MethodCode override : implementations.getOrDefault(call.key, List.of()))
                {
                    if (seen.add(override))
                    {
                        pending.add(override);
                    }
                }
            }
        }

        /** Also notes the classes whose statics the method uses. */
        private String siteOf(final MethodCode method, final Set<String> staticsUsed)
        {
            for (final FieldAccess access : method.staticAccesses)
            {
                final ScannedClass declaring = staticFieldOwner(access.owner, access.name);
                if (null != declaring)
                {
                    staticsUsed.add(declaring.name);
                    if (!sharedObjects && null == method.site && declaring.volatileStatics.contains(access.name))
                    {
                        return method.describe() + (access.write ? " writes" : " reads") + " volatile static field " +
                            declaring.name.replace('/', '.') + "." + access.name;
                    }
                }
            }
            return sharedObjects ? method.unsharedSite : method.site;
        }

        /** JVMS 5.4.3.3: the class itself, then its superclasses, then the interfaces' default methods. */
        private MethodCode resolve(final String owner, final String key)
        {
            final List<ScannedClass> chain = new ArrayList<>();
            for (ScannedClass type = info(owner); null != type; type = info(type.superName))
            {
                final MethodCode method = type.methods.get(key);
                if (null != method)
                {
                    return method;
                }
                chain.add(type);
            }
            final Set<String> visited = new HashSet<>();
            final Deque<String> interfaces = new ArrayDeque<>();
            for (final ScannedClass type : chain)
            {
                Collections.addAll(interfaces, type.interfaces);
            }
            while (!interfaces.isEmpty())
            {
                final ScannedClass type = info(interfaces.poll());
                if (null != type && visited.add(type.name))
                {
                    final MethodCode method = type.methods.get(key);
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
        private ScannedClass staticFieldOwner(final String owner, final String field)
        {
            final ScannedClass type = info(owner);
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
                final ScannedClass declaring = staticFieldOwner(implemented, field);
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
                final ScannedClass type = info(name);
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
                for (final MethodCode method : type.methods.values())
                {
                    if ((method.access & Opcodes.ACC_STATIC) == 0 && method.hasBody() && !method.name.startsWith("<"))
                    {
                        implementations.computeIfAbsent(method.key, k -> new ArrayList<>()).add(method);
                    }
                }
            }
        }

        /** @return the parsed class, or null for the JDK's, Virgo's, hidden and unreadable classes. */
        private ScannedClass info(final String internalName)
        {
            if (null == internalName)
            {
                return null;
            }
            if (classes.containsKey(internalName))
            {
                return classes.get(internalName); // null for a class that is not scanned
            }
            final ScannedClass type = parse(internalName);
            classes.put(internalName, type);
            return type;
        }

        private ScannedClass parse(final String internalName)
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
                return ScannedClass.parse(internalName, reader);
            }
            catch (final RuntimeException ex)
            {
                // A class file ASM cannot read (a newer format) is left out, like the JDK's: start() must not fail.
                return null;
            }
        }
    }
}
