package dev.virgo.runtime.classes;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.lang.invoke.LambdaMetafactory;

/**
 * Makes the {@link Runnable} lambdas and method references of a class serializable, so that a thread created
 * from one can be copied to a node, and gives the class a {@code $deserializeLambda$} that rebuilds any of its
 * lambdas through {@link LambdaSupport}.
 *
 * <p>javac compiles {@code new Thread(() -> work())} to an {@code invokedynamic} bootstrapped by
 * {@link LambdaMetafactory#metafactory}; the lambda class it spins is hidden and cannot be named on another JVM.
 * Bootstrapping the same call site with {@link LambdaMetafactory#altMetafactory} and
 * {@link LambdaMetafactory#FLAG_SERIALIZABLE} gives the lambda a {@code writeReplace} that yields a
 * {@link java.lang.invoke.SerializedLambda}: the capturing class, the implementation method and the captured
 * values, which is what Kryo's closure serializer ships. At the origin only {@code Runnable} call sites change
 * (a thread is made from one); other lambdas keep the JDK's non-serializable form. On a node every lambda does
 * ({@link #rewriteAll}): moved code hands lambdas to the origin as arguments of shared calls
 * ({@code counter.accumulateAndGet(x, Math::max)}) and stores them in shared objects.
 */
public final class SerializableLambdaRewriter
{
    private static final String LMF = "java/lang/invoke/LambdaMetafactory";
    private static final String DESERIALIZE = "$deserializeLambda$";
    private static final String DESERIALIZE_DESC = "(Ljava/lang/invoke/SerializedLambda;)Ljava/lang/Object;";
    private static final Handle ALT_METAFACTORY = new Handle(
        Opcodes.H_INVOKESTATIC, LMF, "altMetafactory",
        "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;[Ljava/lang/Object;)" +
        "Ljava/lang/invoke/CallSite;", false);

    private SerializableLambdaRewriter()
    {
    }

    /** @return the rewritten class, or null when it has no Runnable lambda (so callers keep the original bytes). */
    public static byte[] rewrite(final byte[] classBytes)
    {
        return rewrite(classBytes, false);
    }

    /** As {@link #rewrite}, for every lambda and method reference of the class (a node's classes). */
    public static byte[] rewriteAll(final byte[] classBytes)
    {
        return rewrite(classBytes, true);
    }

    private static byte[] rewrite(final byte[] classBytes, final boolean everyInterface)
    {
        final ClassReader reader = new ClassReader(classBytes);
        final ClassWriter writer = new ClassWriter(reader, 0);
        final Rewriter rewriter = new Rewriter(writer, everyInterface);
        reader.accept(rewriter, 0);
        return rewriter.rewroteAny ? writer.toByteArray() : null;
    }

    private static final class Rewriter extends ClassVisitor
    {
        private final boolean everyInterface;
        private String className;
        private boolean rewroteAny;

        Rewriter(final ClassVisitor next, final boolean everyInterface)
        {
            super(Opcodes.ASM9, next);
            this.everyInterface = everyInterface;
        }

        @Override
        public void visit(
            final int version,
            final int access,
            final String name,
            final String signature,
            final String superName,
            final String[] interfaces)
        {
            className = name;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(
            final int access,
            final String name,
            final String descriptor,
            final String signature,
            final String[] exceptions)
        {
            if (DESERIALIZE.equals(name) && DESERIALIZE_DESC.equals(descriptor))
            {
                // javac's own version only knows the lambdas that were serializable in source; ours knows them all.
                return null;
            }
            final MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            return new MethodVisitor(Opcodes.ASM9, next)
            {
                @Override
                public void visitInvokeDynamicInsn(
                    final String indyName, final String indyDescriptor, final Handle bootstrap, final Object... args)
                {
                    if (LMF.equals(bootstrap.getOwner()) && "metafactory".equals(bootstrap.getName()) &&
                        (everyInterface ||
                            Type.getReturnType(indyDescriptor).getDescriptor().equals("Ljava/lang/Runnable;")))
                    {
                        rewroteAny = true;
                        super.visitInvokeDynamicInsn(indyName, indyDescriptor, ALT_METAFACTORY,
                            args[0], args[1], args[2], LambdaMetafactory.FLAG_SERIALIZABLE);
                        return;
                    }
                    super.visitInvokeDynamicInsn(indyName, indyDescriptor, bootstrap, args);
                }
            };
        }

        @Override
        public void visitEnd()
        {
            if (rewroteAny)
            {
                addDeserializeLambda();
            }
            super.visitEnd();
        }

        /** {@code private static Object $deserializeLambda$(SerializedLambda l) { return LambdaSupport.deserialize(lookup(), l); }} */
        private void addDeserializeLambda()
        {
            final MethodVisitor mv = super.visitMethod(
                Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, DESERIALIZE, DESERIALIZE_DESC,
                null, null);
            mv.visitCode();
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
                "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, Type.getInternalName(LambdaSupport.class), "deserialize",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/invoke/SerializedLambda;)Ljava/lang/Object;",
                false);
            mv.visitInsn(Opcodes.ARETURN);
            mv.visitMaxs(2, 1);
            mv.visitEnd();
        }

        @Override
        public String toString()
        {
            return "SerializableLambdaRewriter[" + className + "]";
        }
    }
}
