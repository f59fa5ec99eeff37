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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application classes of one class loader of an origin, as a moved thread's image defines them: the origin's
 * bytes with their serializable lambdas prepared and their call sites rewritten ({@link MovedCodeRewriter}). Kept per
 * origin loader on the node ({@link OriginSession}) and shared by every image of it: a thread that carries statics
 * has an image of its own ({@link ThreadClassLoader}), and rewriting its classes again for each such thread cost
 * 10 to 30 ms of the node's CPU per moved thread (an empty thread whose class names a few library classes; JFR, 2
 * cores), more than the rest of a start and join together. The rewrite depends only on the class's bytes and on the
 * facts of the classes its sites name, which are the same for every image of one origin loader, so it is done once.
 *
 * <p>Thread safe: two images preparing one class at once both compute it and one result is kept.
 */
final class PreparedClasses
{
    private final ClassSource source;
    private final ClassLoader virgoLoader;
    private final Map<String, byte[]> prepared = new ConcurrentHashMap<>();
    private final Map<String, byte[]> preparedWithStatics = new ConcurrentHashMap<>();
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

    /**
     * @param source      the origin's class files of this loader.
     * @param virgoLoader the loader of Virgo's own classes on the node, whose facts are read by reflection.
     */
    PreparedClasses(final ClassSource source, final ClassLoader virgoLoader)
    {
        this.source = source;
        this.virgoLoader = virgoLoader;
    }

    /**
     * @return the bytes to define for {@code name}, prepared for a moved thread.
     * @throws ClassNotFoundException when the origin has no such class or refused it, or its calls cannot be rewritten.
     */
    byte[] bytesOf(final String name) throws ClassNotFoundException
    {
        final byte[] known = prepared.get(name);
        if (null != known)
        {
            return known;
        }
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
        final byte[] raced = prepared.putIfAbsent(name, bytes);
        return null == raced ? bytes : raced;
    }

    /**
     * @return {@link #bytesOf} with the static initializer replaced by {@link StaticsInstaller}, for an image that
     * carries this class's statics from the origin.
     */
    byte[] withStaticsInstaller(final String name) throws ClassNotFoundException
    {
        final byte[] known = preparedWithStatics.get(name);
        if (null != known)
        {
            return known;
        }
        final byte[] bytes = replaceStaticInitializer(bytesOf(name));
        final byte[] raced = preparedWithStatics.putIfAbsent(name, bytes);
        return null == raced ? bytes : raced;
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
     * on a class an image defined, which would load the classes its members name, maybe the one being defined).
     */
    private ClassFacts factsOf(final String internalName)
    {
        return facts.computeIfAbsent(internalName, this::readFacts);
    }

    private ClassFacts readFacts(final String internalName)
    {
        final String name = internalName.replace('/', '.');
        Class<?> type = null;
        if (ApplicationClasses.isVirgoOrJdkClassName(name))
        {
            try
            {
                final ClassLoader owner = ApplicationClasses.isVirgoClassName(name) ?
                    virgoLoader : ClassLoader.getPlatformClassLoader();
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
