package dev.virgo.runtime.node;

import dev.virgo.api.VirgoException;
import dev.virgo.samples.identity.IdentitySamples;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static dev.virgo.runtime.node.TestClassFiles.bytesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MovedCodeRewriterTest
{
    private static final String CALLS = Type.getInternalName(MovedThreadCalls.class);
    private static final String SAMPLES = "dev/virgo/samples/identity/IdentitySamples$";

    private static final MovedCodeRewriter.Hierarchy HIERARCHY = ReflectionHierarchy.INSTANCE;

    @Test
    void shouldRewriteCurrentThreadAndTheCallsThatDescribeTheRunningThread()
    {
        assertTrue(callsIn(IdentitySamples.Worker.class, "run")
            .contains(CALLS + ".isInterrupted(Ljava/lang/Thread;)Z"));
        assertFalse(callsIn(IdentitySamples.Worker.class, "run").contains(SAMPLES + "Worker.isInterrupted()Z"));
        assertEquals(List.of(CALLS + ".currentThread()Ljava/lang/Thread;"),
            callsIn(IdentitySamples.Worker.class, "current"));
        assertEquals(List.of(CALLS + ".unpark(Ljava/lang/Thread;)V"), callsIn(IdentitySamples.Worker.class, "wake"));
        assertEquals(List.of(SAMPLES + "Worker.getName()Ljava/lang/String;"),
            callsIn(IdentitySamples.Worker.class, "name"), "the name is the identity's own: not rewritten");
    }

    @Test
    void shouldSendASuperCallToThreadsOwnMethodToTheCarrierButKeepAnOverride()
    {
        assertTrue(callsIn(IdentitySamples.Closing.class, "interrupt")
            .contains(CALLS + ".superInterrupt(Ljava/lang/Thread;)V"));
        assertEquals(List.of(SAMPLES + "Closing.interrupt()V"),
            callsIn(IdentitySamples.ClosingTwice.class, "interrupt"),
            "super.interrupt() there runs Closing's override");
    }

    @Test
    void shouldLeaveAMethodNamedLikeThreadsOnAnotherClassAlone()
    {
        assertNull(MovedCodeRewriter.rewrite(bytesOf(IdentitySamples.NotAThread.class.getName()), HIERARCHY));
    }

    @Test
    void shouldLeaveAClassWithoutSuchCallsUnchanged()
    {
        assertNull(MovedCodeRewriter.rewrite(bytesOf(IdentitySamples.Plain.class.getName()), HIERARCHY));
    }

    @Test
    void shouldSendEveryWayOfExitingToTheOrigin()
    {
        assertEquals(List.of(CALLS + ".exit(I)V"), callsIn(IdentitySamples.Exits.class, "exit"));
        assertTrue(callsIn(IdentitySamples.Exits.class, "runtimeExit")
            .contains(CALLS + ".runtimeExit(Ljava/lang/Runtime;I)V"));
        assertTrue(callsIn(IdentitySamples.Exits.class, "halt")
            .contains(CALLS + ".runtimeHalt(Ljava/lang/Runtime;I)V"));
        assertTrue(callsIn(IdentitySamples.Exits.class, "exitReference").contains("handle " + CALLS + ".exit(I)V"));
        assertTrue(callsIn(IdentitySamples.Exits.class, "currentThreadReference")
            .contains("handle " + CALLS + ".currentThread()Ljava/lang/Thread;"));
    }

    /** Off a node (no moved thread running) the rewritten classes verify and behave as the originals. */
    @Test
    void shouldDefineRewrittenClassesThatBehaveAsBeforeOutsideAMovedThread() throws Exception
    {
        final ThreadClassLoader image = new ThreadClassLoader(
            "test-image", TestClassFiles::bytesOf, MovedCodeRewriterTest.class.getClassLoader());

        final Class<?> workerType = image.loadClass(IdentitySamples.Worker.class.getName());
        assertNotSame(IdentitySamples.Worker.class, workerType);
        final Thread worker = (Thread)workerType.getConstructor().newInstance();
        assertSame(Thread.currentThread(), workerType.getMethod("current").invoke(worker));
        worker.start();
        worker.interrupt();
        worker.join(10_000);
        assertFalse(worker.isAlive(), "the loop on isInterrupted() ended");
        assertTrue((boolean)workerType.getField("sawInterrupt").get(worker));

        final Class<?> closingType = image.loadClass(IdentitySamples.Closing.class.getName());
        final Thread closing = (Thread)closingType.getConstructor().newInstance();
        closing.interrupt();
        assertTrue((boolean)closingType.getField("closed").get(closing), "the override ran");
        assertTrue(closing.isInterrupted(), "and reached Thread's own interrupt()");

        final Class<?> exitsType = image.loadClass(IdentitySamples.Exits.class.getName());
        final Object exits = exitsType.getConstructor().newInstance();
        @SuppressWarnings("unchecked")
        final Supplier<Thread> current = (Supplier<Thread>)exitsType.getMethod("currentThreadReference").invoke(exits);
        assertSame(Thread.currentThread(), current.get());
        assertEquals(List.of(CALLS + ".exit(I)V"), callsIn(IdentitySamples.Exits.class, "exit"),
            "checked before calling it: an unrewritten exit would end this JVM");
        final InvocationTargetException refused = assertThrows(InvocationTargetException.class,
            () -> exitsType.getMethod("exit").invoke(exits));
        assertInstanceOf(VirgoException.class, refused.getCause());
        assertTrue(refused.getCause().getMessage().contains("System.exit on a node outside a moved thread"),
            refused.getCause().getMessage());
    }

    /** The calls in one method of the rewritten class, as {@code owner.name descriptor}, and method handles. */
    private static List<String> callsIn(final Class<?> type, final String methodName)
    {
        final byte[] original = bytesOf(type.getName());
        final byte[] rewritten = MovedCodeRewriter.rewrite(original, HIERARCHY);
        final List<String> calls = new ArrayList<>();
        new ClassReader(null != rewritten ? rewritten : original).accept(new ClassVisitor(Opcodes.ASM9)
        {
            @Override
            public MethodVisitor visitMethod(
                final int access, final String name, final String descriptor, final String signature,
                final String[] exceptions)
            {
                if (!name.equals(methodName))
                {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9)
                {
                    @Override
                    public void visitMethodInsn(
                        final int opcode, final String owner, final String name, final String descriptor,
                        final boolean isInterface)
                    {
                        calls.add(owner + "." + name + descriptor);
                    }

                    @Override
                    public void visitInvokeDynamicInsn(
                        final String name, final String descriptor, final Handle bootstrap, final Object... arguments)
                    {
                        for (final Object argument : arguments)
                        {
                            if (argument instanceof Handle)
                            {
                                final Handle handle = (Handle)argument;
                                calls.add("handle " + handle.getOwner() + "." + handle.getName() + handle.getDesc());
                            }
                        }
                    }
                };
            }
        }, 0);
        return calls;
    }
}
