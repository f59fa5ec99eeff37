package dev.virgo.runtime.node;

import dev.virgo.runtime.classes.ApplicationClasses;
import dev.virgo.runtime.classes.SerializableLambdaRewriter;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The class loader of one moved thread on a node: its own image of the application's classes, defined from bytes
 * the origin sends, so the thread sees the static fields as they were at the origin at {@code start()} and no two
 * moved threads see each other's statics (the start/join contract gives them no way to).
 *
 * <p>Classes whose statics travelled with the thread are defined with their static initializer replaced by a call
 * to {@link StaticsInstaller} and with {@code final} removed from their static fields so the values can be set.
 * Every class it defines has its call sites that would show the node instead of the moved thread
 * ({@code Thread.currentThread()}, {@code System.exit}, ...) and its synchronization sites (monitors, wait/notify,
 * volatile fields) rewritten by {@link MovedCodeRewriter}.
 * The JDK's classes and Virgo's come from the node's own loaders, unchanged.
 */
final class ThreadClassLoader extends ClassLoader
{
    static
    {
        registerAsParallelCapable();
    }

    private final ClassSource source;
    private final ClassLoader virgoLoader;
    private final Map<String, String[]> staticFieldNames = new HashMap<>();
    private final Map<String, Object[]> staticValues = new HashMap<>();
    private final List<Class<?>> initialized = new ArrayList<>();
    private final Map<String, ClassFacts> facts = new ConcurrentHashMap<>();
    private final MovedCodeRewriter.Hierarchy hierarchy = new MovedCodeRewriter.Hierarchy()
    {
        @Override
        public String superName(final String internalName)
        {
            return factsOf(internalName).superName;
        }

        @Override
        public boolean declares(final String internalName, final String name, final String descriptor)
        {
            return factsOf(internalName).methods.contains(name + descriptor);
        }

        @Override
        public String[] interfaces(final String internalName)
        {
            return factsOf(internalName).interfaces;
        }

        @Override
        public int fieldAccess(final String internalName, final String name, final String descriptor)
        {
            final Integer access = factsOf(internalName).fields.get(name + descriptor);
            return null == access ? -1 : access;
        }

        @Override
        public boolean isApplicationClass(final String internalName)
        {
            return factsOf(internalName).isApplication;
        }
    };
    private boolean valuesReady;

    ThreadClassLoader(final String name, final ClassSource source, final ClassLoader virgoLoader)
    {
        super(name, ClassLoader.getPlatformClassLoader());
        this.source = source;
        this.virgoLoader = virgoLoader;
    }

    /** Declares the classes whose statics travel with the thread; must come before any of them loads. */
    synchronized void expectStatics(final String[] classNames, final String[][] fieldNames)
    {
        for (int i = 0; i < classNames.length; i++)
        {
            staticFieldNames.put(classNames[i], fieldNames[i]);
        }
    }

    /** The statics' values, read from the snapshot; classes already initialized take them now. */
    synchronized void staticsReady(final String[] classNames, final Object[][] values)
    {
        for (int i = 0; i < classNames.length; i++)
        {
            staticValues.put(classNames[i], values[i]);
        }
        valuesReady = true;
        for (final Class<?> type : initialized)
        {
            install(type);
        }
    }

    synchronized void onClassInitialized(final Class<?> type)
    {
        initialized.add(type);
        if (valuesReady)
        {
            install(type);
        }
    }

    /** Copies the current statics of the classes that were initialized back into their value arrays. */
    synchronized void collectStatics()
    {
        for (final Class<?> type : initialized)
        {
            final Object[] values = staticValues.get(type.getName());
            final String[] names = staticFieldNames.get(type.getName());
            for (int i = 0; i < names.length; i++)
            {
                try
                {
                    values[i] = field(type, names[i]).get(null);
                }
                catch (final ReflectiveOperationException ex)
                {
                    throw new IllegalStateException("cannot read static " + type.getName() + "." + names[i], ex);
                }
            }
        }
    }

    /** @return true when the statics of {@code className} travelled with the thread (and are shared with it). */
    synchronized boolean hasStatics(final String className)
    {
        return staticFieldNames.containsKey(className);
    }

    /** The statics' value arrays as they are now, to tell afterwards which elements an acquire changed. */
    synchronized Map<String, Object[]> staticValuesNow()
    {
        final Map<String, Object[]> now = new HashMap<>();
        for (final Map.Entry<String, Object[]> entry : staticValues.entrySet())
        {
            now.put(entry.getKey(), entry.getValue().clone());
        }
        return now;
    }

    /**
     * After an acquire wrote the origin's changes into the value arrays: the initialized classes take the statics that
     * changed, and only those, as another thread's stores would arrive; the thread's own writes to the others, made
     * meanwhile and not yet published, stay.
     */
    synchronized void installChangedStatics(final Map<String, Object[]> before)
    {
        for (final Class<?> type : initialized)
        {
            final Object[] was = before.get(type.getName());
            final Object[] values = staticValues.get(type.getName());
            final String[] names = staticFieldNames.get(type.getName());
            for (int i = 0; i < names.length; i++)
            {
                if (null != was && was[i] != values[i])
                {
                    try
                    {
                        field(type, names[i]).set(null, values[i]);
                    }
                    catch (final ReflectiveOperationException ex)
                    {
                        throw new IllegalStateException("cannot set static " + type.getName() + "." + names[i], ex);
                    }
                }
            }
        }
    }

    private void install(final Class<?> type)
    {
        final Object[] values = staticValues.get(type.getName());
        final String[] names = staticFieldNames.get(type.getName());
        for (int i = 0; i < names.length; i++)
        {
            try
            {
                field(type, names[i]).set(null, values[i]);
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new IllegalStateException("cannot set static " + type.getName() + "." + names[i], ex);
            }
        }
    }

    private static Field field(final Class<?> type, final String name) throws NoSuchFieldException
    {
        final Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    @Override
    protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException
    {
        synchronized (getClassLoadingLock(name))
        {
            Class<?> type = findLoadedClass(name);
            if (null == type)
            {
                if (name.startsWith("java."))
                {
                    type = getParent().loadClass(name);
                }
                else if (ApplicationClasses.isVirgoClassName(name))
                {
                    type = virgoLoader.loadClass(name);
                }
                else if (ApplicationClasses.isVirgoOrJdkClassName(name))
                {
                    type = loadFromPlatformThenOrigin(name);
                }
                else
                {
                    type = findClass(name);
                }
            }
            if (resolve)
            {
                resolveClass(type);
            }
            return type;
        }
    }

    /** javax.*, jdk.*, sun.* names may be the JDK's or the application's own (javax.inject, say). */
    private Class<?> loadFromPlatformThenOrigin(final String name) throws ClassNotFoundException
    {
        try
        {
            return getParent().loadClass(name);
        }
        catch (final ClassNotFoundException ex)
        {
            return findClass(name);
        }
    }

    @Override
    protected Class<?> findClass(final String name) throws ClassNotFoundException
    {
        final byte[] original = classBytes(name);
        if (null == original)
        {
            throw new ClassNotFoundException(name + " (not found at the origin either)");
        }
        byte[] bytes = original;
        final byte[] lambdasPrepared = SerializableLambdaRewriter.rewriteAll(bytes);
        if (null != lambdasPrepared)
        {
            bytes = lambdasPrepared;
        }
        try
        {
            final byte[] callSitesRewritten = MovedCodeRewriter.rewrite(bytes, hierarchy);
            if (null != callSitesRewritten)
            {
                bytes = callSitesRewritten;
            }
        }
        catch (final RuntimeException ex)
        {
            throw new ClassNotFoundException(name + ": cannot prepare its calls for a moved thread: " + ex, ex);
        }
        final boolean hasStatics;
        synchronized (this)
        {
            hasStatics = staticFieldNames.containsKey(name);
        }
        if (hasStatics)
        {
            bytes = replaceStaticInitializer(bytes);
        }
        return defineClass(name, bytes, 0, bytes.length);
    }

    /**
     * The bytes of an application class from the origin, as a JVM loads a class: an interrupt does not abort it (the
     * request is made again) and stays pending for the program, and the wait shows as RUNNABLE.
     */
    private byte[] classBytes(final String name) throws ClassNotFoundException
    {
        boolean interrupted = false;
        ThreadRunner.classRequestStarted();
        try
        {
            while (true)
            {
                try
                {
                    return source.classBytes(name);
                }
                catch (final RuntimeException ex)
                {
                    if (!Thread.interrupted())
                    {
                        throw ex;
                    }
                    interrupted = true;
                }
            }
        }
        finally
        {
            ThreadRunner.classRequestEnded();
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What the rewriter asks of a class a call site names: from the class itself when it is the JDK's or Virgo's, else
     * from its bytes (never by loading it: it may be a subclass of the class being defined; and never by reflection
     * on a class already defined here, which would load the classes its members name, maybe the one being defined).
     */
    private ClassFacts factsOf(final String internalName)
    {
        return facts.computeIfAbsent(internalName, this::readFacts);
    }

    private ClassFacts readFacts(final String internalName)
    {
        final String name = internalName.replace('/', '.');
        Class<?> type = findLoadedClass(name);
        if (null != type && type.getClassLoader() == this)
        {
            type = null; // the application's: read its bytes, cached by the origin session
        }
        if (null == type && ApplicationClasses.isVirgoOrJdkClassName(name))
        {
            try
            {
                final ClassLoader owner = ApplicationClasses.isVirgoClassName(name) ? virgoLoader : getParent();
                type = Class.forName(name, false, owner);
            }
            catch (final ClassNotFoundException | LinkageError ex)
            {
                type = null; // an application class in a javax.* or similar package: read its bytes below
            }
        }
        if (null != type)
        {
            try
            {
                return ClassFacts.of(type);
            }
            catch (final LinkageError ex)
            {
                // a member names a class that cannot be loaded: read the bytes instead
            }
        }
        try
        {
            final byte[] bytes = classBytes(name);
            return null == bytes ? ClassFacts.UNKNOWN : ClassFacts.of(new ClassReader(bytes), null == type);
        }
        catch (final ClassNotFoundException ex)
        {
            return ClassFacts.UNKNOWN; // the origin refused it: the call site keeps the JDK's meaning
        }
    }

    /**
     * A class's superclass and superinterfaces, the methods it declares ({@code name + descriptor}), the access flags
     * of the fields it declares (by {@code name + descriptor}), and whether it is the application's.
     */
    private static final class ClassFacts
    {
        static final ClassFacts UNKNOWN = new ClassFacts(null, new String[0], Set.of(), Map.of(), false);

        final String superName;
        final String[] interfaces;
        final Set<String> methods;
        final Map<String, Integer> fields;
        final boolean isApplication;

        private ClassFacts(
            final String superName,
            final String[] interfaces,
            final Set<String> methods,
            final Map<String, Integer> fields,
            final boolean isApplication)
        {
            this.superName = superName;
            this.interfaces = interfaces;
            this.methods = methods;
            this.fields = fields;
            this.isApplication = isApplication;
        }

        /** A class of the JDK or of Virgo. */
        static ClassFacts of(final Class<?> type)
        {
            final Set<String> methods = new HashSet<>();
            for (final Method method : type.getDeclaredMethods())
            {
                methods.add(method.getName() + Type.getMethodDescriptor(method));
            }
            final Map<String, Integer> fields = new HashMap<>();
            for (final Field field : type.getDeclaredFields())
            {
                fields.put(field.getName() + Type.getDescriptor(field.getType()), field.getModifiers());
            }
            final Class<?>[] superinterfaces = type.getInterfaces();
            final String[] interfaces = new String[superinterfaces.length];
            for (int i = 0; i < interfaces.length; i++)
            {
                interfaces[i] = Type.getInternalName(superinterfaces[i]);
            }
            final Class<?> superclass = type.getSuperclass();
            return new ClassFacts(
                null == superclass ? null : Type.getInternalName(superclass), interfaces, methods, fields, false);
        }

        static ClassFacts of(final ClassReader reader, final boolean isApplication)
        {
            final Set<String> methods = new HashSet<>();
            final Map<String, Integer> fields = new HashMap<>();
            reader.accept(new ClassVisitor(Opcodes.ASM9)
            {
                @Override
                public FieldVisitor visitField(
                    final int access, final String name, final String descriptor, final String signature,
                    final Object value)
                {
                    fields.put(name + descriptor, access);
                    return null;
                }

                @Override
                public MethodVisitor visitMethod(
                    final int access, final String name, final String descriptor, final String signature,
                    final String[] exceptions)
                {
                    methods.add(name + descriptor);
                    return null;
                }
            }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return new ClassFacts(reader.getSuperName(), reader.getInterfaces(), methods, fields, isApplication);
        }
    }

    /** Static initializer becomes {@code StaticsInstaller.install(ThisClass.class)}; static finals become settable. */
    private static byte[] replaceStaticInitializer(final byte[] bytes)
    {
        final ClassReader reader = new ClassReader(bytes);
        final ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer)
        {
            private String internalName;

            @Override
            public void visit(
                final int version, final int access, final String name, final String signature,
                final String superName, final String[] interfaces)
            {
                internalName = name;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public FieldVisitor visitField(
                final int access, final String name, final String descriptor, final String signature,
                final Object value)
            {
                final int settable = Modifier.isStatic(access) ? access & ~Opcodes.ACC_FINAL : access;
                return super.visitField(settable, name, descriptor, signature, value);
            }

            @Override
            public MethodVisitor visitMethod(
                final int access, final String name, final String descriptor, final String signature,
                final String[] exceptions)
            {
                return "<clinit>".equals(name) ? null : super.visitMethod(access, name, descriptor, signature, exceptions);
            }

            @Override
            public void visitEnd()
            {
                final MethodVisitor mv = super.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
                mv.visitCode();
                mv.visitLdcInsn(Type.getObjectType(internalName));
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, Type.getInternalName(StaticsInstaller.class), "install",
                    "(Ljava/lang/Class;)V", false);
                mv.visitInsn(Opcodes.RETURN);
                mv.visitMaxs(1, 0);
                mv.visitEnd();
                super.visitEnd();
            }
        }, 0);
        return writer.toByteArray();
    }
}
