package dev.virgo.runtime.node;

import dev.virgo.runtime.sharing.ConcurrentTypes;
import dev.virgo.runtime.sharing.SyncSites;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.AnalyzerAdapter;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites the synchronization sites of an application class a node defines so that they lead to {@link SyncSites},
 * as its javadoc lists, keeping their local meaning:
 * <ul>
 *     <li>monitors: {@code monitorenter} and {@code monitorexit} pair with {@code entered} and {@code exiting}, and a
 *     {@code synchronized} method tells of its entry and exits, keeping its flag; see {@link MonitorSites};</li>
 *     <li>{@code wait}, {@code notify} and {@code notifyAll}, final methods of {@code Object} whatever class a call
 *     names, become {@code waitOn}, {@code notifyOn}, {@code notifyAllOn}, method references to them included;</li>
 *     <li>a read or write of a {@code volatile} field of an application class ({@link VolatileFields}) becomes
 *     {@code getVolatile}/{@code putVolatile} ({@code getStaticVolatile}/{@code putStaticVolatile}), with the value
 *     boxed and the result unboxed. A write to a field of {@code this} before the super constructor call is left
 *     alone: the uninitialized {@code this} may not be passed to a method;</li>
 *     <li>an {@code invokevirtual} or {@code invokeinterface} of a {@code java.util.concurrent} object's method
 *     ({@link ConcurrentTypes}) becomes an {@code invokedynamic} of the same stack shape, {@code (Owner, args)R},
 *     bootstrapped by {@link SyncSites#concurrentCall} with a handle to the method as written: the stack, and so the
 *     frames, are those of the call it replaces. A class file before Java 7 cannot hold one: its calls stay as they
 *     are, which {@link SiteSurvey#leavesConcurrentCallsLocal} tells. A method reference to one
 *     ({@code latch::countDown}) is given a bridge, a synthetic static method of the class holding that rewritten
 *     call ({@link ConcurrentTypes#BRIDGE_PREFIX}), which the lambda metafactory then calls; a serialized one names
 *     the bridge, which {@code LambdaSupport} resolves to the method itself where the class has none.</li>
 * </ul>
 * Class files before Java 5 cannot load a class constant: they name the class through {@code Class.forName}, as
 * their own compilers did for {@code Foo.class} (which also initializes it). No local variable is added, and the
 * only frames added are at new handlers, copied or written whole, so frames are never computed: computing them would
 * load classes in the node's class loader.
 */
final class SyncSiteRewriter extends ClassVisitor
{
    private static final String SYNC_SITES = Type.getInternalName(SyncSites.class);
    private static final String OBJECT = "java/lang/Object";
    private static final String LAMBDA_METAFACTORY = "java/lang/invoke/LambdaMetafactory";
    /** The final methods of {@code Object} on a monitor, by {@code name + descriptor}: their SyncSites helper. */
    private static final Map<String, String> MONITOR_METHODS = Map.of(
        "wait()V", "waitOn",
        "wait(J)V", "waitOn",
        "wait(JI)V", "waitOn",
        "notify()V", "notifyOn",
        "notifyAll()V", "notifyAllOn");
    /** The bootstrap of a concurrent call site, with the method as written as its one static argument. */
    private static final Handle CONCURRENT_CALL = new Handle(Opcodes.H_INVOKESTATIC, SYNC_SITES, "concurrentCall",
        "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;" +
        "Ljava/lang/invoke/MethodHandle;)Ljava/lang/invoke/CallSite;", false);
    /** SyncSites' calls push the owner and the name: two more stack slots than the instruction they replace. */
    private static final int EXTRA_STACK = 2;

    private final VolatileFields volatileFields;
    private String className;
    private boolean canLoadClassConstants;
    private boolean hasFrames;
    private boolean canInvokeDynamic;
    private boolean isInterface;
    /** The bridges of method references to concurrent methods, by the handle they replace; added at the end. */
    private final Map<Handle, MethodNode> bridges = new LinkedHashMap<>();
    boolean changed;

    SyncSiteRewriter(final ClassVisitor next, final VolatileFields volatileFields)
    {
        super(Opcodes.ASM9, next);
        this.volatileFields = volatileFields;
    }

    @Override
    public void visit(
        final int version, final int access, final String name, final String signature, final String superName,
        final String[] interfaces)
    {
        className = name;
        final int major = version & 0xFFFF;
        canLoadClassConstants = major >= Opcodes.V1_5;
        hasFrames = major >= Opcodes.V1_6;
        canInvokeDynamic = major >= Opcodes.V1_7;
        isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(
        final int access, final String name, final String descriptor, final String signature,
        final String[] exceptions)
    {
        final MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0)
        {
            return next;
        }
        final Set<AbstractInsnNode> earlyWrites = new HashSet<>();
        final MethodNode method = new MethodNode(Opcodes.ASM9, access, name, descriptor, signature, exceptions)
        {
            @Override
            public void visitEnd()
            {
                super.visitEnd();
                rewrite(this, earlyWrites);
                accept(next);
            }
        };
        // Without frames (before Java 6) no compiler wrote a field before super(): there is nothing to track
        return "<init>".equals(name) && hasFrames ?
            new EarlyWrites(className, access, name, descriptor, method, earlyWrites) : method;
    }

    private void rewrite(final MethodNode method, final Set<AbstractInsnNode> earlyWrites)
    {
        boolean rewritten = false;
        for (final AbstractInsnNode insn : method.instructions.toArray())
        {
            if (insn instanceof MethodInsnNode)
            {
                rewritten |= rewriteMonitorMethod(method.instructions, (MethodInsnNode)insn) ||
                    canInvokeDynamic && rewriteConcurrentCall(method.instructions, (MethodInsnNode)insn);
            }
            else if (insn instanceof InvokeDynamicInsnNode)
            {
                rewritten |= rewriteMonitorMethodReferences((InvokeDynamicInsnNode)insn) |
                    rewriteConcurrentMethodReferences((InvokeDynamicInsnNode)insn);
            }
            else if (insn instanceof FieldInsnNode && !earlyWrites.contains(insn))
            {
                rewritten |= rewriteVolatileAccess(method.instructions, (FieldInsnNode)insn);
            }
        }
        rewritten |= MonitorSites.rewrite(method, className, hasFrames, canLoadClassConstants);
        if (rewritten)
        {
            method.maxStack += EXTRA_STACK;
            changed = true;
        }
    }

    private static boolean rewriteMonitorMethod(final InsnList code, final MethodInsnNode call)
    {
        final String helper = MONITOR_METHODS.get(call.name + call.desc);
        if (null == helper || call.getOpcode() == Opcodes.INVOKESTATIC)
        {
            return false;
        }
        code.set(call, syncSitesCall(helper, "(Ljava/lang/Object;" + call.desc.substring(1)));
        return true;
    }

    /**
     * {@code counter.incrementAndGet()} becomes {@code invokedynamic incrementAndGet(AtomicInteger)I}: the receiver
     * and the arguments stay where they are, the result comes where it came.
     */
    private static boolean rewriteConcurrentCall(final InsnList code, final MethodInsnNode call)
    {
        final int opcode = call.getOpcode();
        if ((opcode != Opcodes.INVOKEVIRTUAL && opcode != Opcodes.INVOKEINTERFACE) ||
            !ConcurrentTypes.isSharedConcurrentMethod(call.owner, call.name, call.desc))
        {
            return false;
        }
        final Handle direct = new Handle(opcode == Opcodes.INVOKEINTERFACE ? Opcodes.H_INVOKEINTERFACE :
            Opcodes.H_INVOKEVIRTUAL, call.owner, call.name, call.desc, call.itf);
        code.set(call, new InvokeDynamicInsnNode(
            call.name, "(L" + call.owner + ";" + call.desc.substring(1), CONCURRENT_CALL, direct));
        return true;
    }

    /**
     * {@code latch::countDown} as a lambda's implementation: the handle becomes one to a bridge that makes the call
     * the way a rewritten call site does. The bridge takes the receiver as the method's owner, as the handle did, so
     * that the lambda's captured values and its type stay as they are.
     */
    private boolean rewriteConcurrentMethodReferences(final InvokeDynamicInsnNode indy)
    {
        if (!LAMBDA_METAFACTORY.equals(indy.bsm.getOwner()))
        {
            return false;
        }
        boolean rewritten = false;
        for (int i = 0; i < indy.bsmArgs.length; i++)
        {
            if (indy.bsmArgs[i] instanceof Handle)
            {
                final Handle handle = (Handle)indy.bsmArgs[i];
                final int tag = handle.getTag();
                if ((tag == Opcodes.H_INVOKEVIRTUAL || tag == Opcodes.H_INVOKEINTERFACE) &&
                    ConcurrentTypes.isSharedConcurrentMethod(handle.getOwner(), handle.getName(), handle.getDesc()))
                {
                    final MethodNode bridge = bridges.computeIfAbsent(handle, this::bridge);
                    indy.bsmArgs[i] = new Handle(Opcodes.H_INVOKESTATIC, className, bridge.name, bridge.desc,
                        isInterface);
                    rewritten = true;
                }
            }
        }
        return rewritten;
    }

    /** {@code private static synthetic R virgo$concurrent$name(Owner receiver, args) { return receiver.name(args); }} */
    private MethodNode bridge(final Handle handle)
    {
        final String descriptor = "(L" + handle.getOwner() + ";" + handle.getDesc().substring(1);
        final MethodNode bridge = new MethodNode(Opcodes.ASM9,
            Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
            ConcurrentTypes.BRIDGE_PREFIX + handle.getName(), descriptor, null, null);
        int slot = 0;
        for (final Type parameter : Type.getArgumentTypes(descriptor))
        {
            bridge.instructions.add(new VarInsnNode(parameter.getOpcode(Opcodes.ILOAD), slot));
            slot += parameter.getSize();
        }
        final MethodInsnNode call = new MethodInsnNode(
            handle.getTag() == Opcodes.H_INVOKEINTERFACE ? Opcodes.INVOKEINTERFACE : Opcodes.INVOKEVIRTUAL,
            handle.getOwner(), handle.getName(), handle.getDesc(), handle.isInterface());
        bridge.instructions.add(call);
        rewriteConcurrentCall(bridge.instructions, call);
        final Type result = Type.getReturnType(descriptor);
        bridge.instructions.add(new InsnNode(result.getOpcode(Opcodes.IRETURN)));
        bridge.maxLocals = slot;
        bridge.maxStack = Math.max(slot, result.getSize());
        return bridge;
    }

    @Override
    public void visitEnd()
    {
        for (final MethodNode bridge : bridges.values())
        {
            bridge.accept(cv);
        }
        super.visitEnd();
    }

    /**
     * {@code lock::notifyAll}: javac names {@code Object} as the owner, so the static helper has the handle's type;
     * the lambda metafactory adapts the receiver's type for any other owner, but wants a captured receiver (the first
     * captured value when there are any) of exactly the helper's parameter type, {@code Object}.
     */
    private static boolean rewriteMonitorMethodReferences(final InvokeDynamicInsnNode indy)
    {
        final Type[] captured = Type.getArgumentTypes(indy.desc);
        if (captured.length > 0 && LAMBDA_METAFACTORY.equals(indy.bsm.getOwner()))
        {
            captured[0] = Type.getObjectType(OBJECT);
        }
        boolean rewritten = false;
        for (int i = 0; i < indy.bsmArgs.length; i++)
        {
            if (indy.bsmArgs[i] instanceof Handle)
            {
                final Handle handle = (Handle)indy.bsmArgs[i];
                if (isMonitorMethodReference(handle, indy.bsm))
                {
                    indy.bsmArgs[i] = new Handle(Opcodes.H_INVOKESTATIC, SYNC_SITES,
                        MONITOR_METHODS.get(handle.getName() + handle.getDesc()),
                        "(Ljava/lang/Object;" + handle.getDesc().substring(1), false);
                    rewritten = true;
                }
            }
        }
        if (rewritten)
        {
            indy.desc = Type.getMethodDescriptor(Type.getReturnType(indy.desc), captured);
        }
        return rewritten;
    }

    private static boolean isMonitorMethodReference(final Handle handle, final Handle bootstrap)
    {
        final int tag = handle.getTag();
        return MONITOR_METHODS.containsKey(handle.getName() + handle.getDesc()) &&
            (tag == Opcodes.H_INVOKEVIRTUAL || tag == Opcodes.H_INVOKEINTERFACE || tag == Opcodes.H_INVOKESPECIAL) &&
            (OBJECT.equals(handle.getOwner()) || LAMBDA_METAFACTORY.equals(bootstrap.getOwner()));
    }

    /** {@code getfield} and the like, when volatile, become SyncSites' calls with the value boxed, the result unboxed. */
    private boolean rewriteVolatileAccess(final InsnList code, final FieldInsnNode access)
    {
        final int opcode = access.getOpcode();
        if (!volatileFields.isVolatile(opcode, access.owner, access.name, access.desc))
        {
            return false;
        }
        final Type type = Type.getType(access.desc);
        final InsnList call = new InsnList();
        if (opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC)
        {
            box(type, call);
        }
        MonitorSites.pushClass(access.owner, canLoadClassConstants, call);
        call.add(new LdcInsnNode(access.name));
        switch (opcode)
        {
            case Opcodes.GETFIELD:
                call.add(syncSitesCall("getVolatile", "(Ljava/lang/Object;Ljava/lang/Class;Ljava/lang/String;)" +
                    "Ljava/lang/Object;"));
                unbox(type, call);
                break;
            case Opcodes.GETSTATIC:
                call.add(syncSitesCall("getStaticVolatile", "(Ljava/lang/Class;Ljava/lang/String;)Ljava/lang/Object;"));
                unbox(type, call);
                break;
            case Opcodes.PUTFIELD:
                call.add(syncSitesCall("putVolatile",
                    "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Class;Ljava/lang/String;)V"));
                break;
            default:
                call.add(syncSitesCall("putStaticVolatile", "(Ljava/lang/Object;Ljava/lang/Class;Ljava/lang/String;)V"));
                break;
        }
        code.insert(access, call);
        code.remove(access);
        return true;
    }

    /**
     * Boxes the value the field instruction would store, narrowed first as {@code putfield} narrows an int to a
     * boolean, byte, char or short field.
     */
    private static void box(final Type type, final InsnList code)
    {
        switch (type.getSort())
        {
            case Type.BOOLEAN:
                code.add(new InsnNode(Opcodes.ICONST_1));
                code.add(new InsnNode(Opcodes.IAND));
                break;
            case Type.BYTE:
                code.add(new InsnNode(Opcodes.I2B));
                break;
            case Type.CHAR:
                code.add(new InsnNode(Opcodes.I2C));
                break;
            case Type.SHORT:
                code.add(new InsnNode(Opcodes.I2S));
                break;
            default:
                break;
        }
        final String box = boxName(type);
        if (null != box)
        {
            code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, box, "valueOf",
                "(" + type.getDescriptor() + ")L" + box + ";", false));
        }
    }

    private static void unbox(final Type type, final InsnList code)
    {
        final String box = boxName(type);
        if (null != box)
        {
            code.add(new TypeInsnNode(Opcodes.CHECKCAST, box));
            code.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, box, type.getClassName() + "Value",
                "()" + type.getDescriptor(), false));
        }
        else if (!OBJECT.equals(type.getInternalName()))
        {
            code.add(new TypeInsnNode(Opcodes.CHECKCAST, type.getInternalName()));
        }
    }

    private static String boxName(final Type type)
    {
        switch (type.getSort())
        {
            case Type.BOOLEAN: return "java/lang/Boolean";
            case Type.BYTE: return "java/lang/Byte";
            case Type.CHAR: return "java/lang/Character";
            case Type.SHORT: return "java/lang/Short";
            case Type.INT: return "java/lang/Integer";
            case Type.LONG: return "java/lang/Long";
            case Type.FLOAT: return "java/lang/Float";
            case Type.DOUBLE: return "java/lang/Double";
            default: return null;
        }
    }

    private static MethodInsnNode syncSitesCall(final String name, final String descriptor)
    {
        return new MethodInsnNode(Opcodes.INVOKESTATIC, SYNC_SITES, name, descriptor, false);
    }

    /**
     * Marks, in a constructor, the {@code putfield} instructions whose target is still the uninitialized
     * {@code this} (before the super or this constructor call, as a Java 25 prologue may write a field): the
     * verifier lets no method take that value. Needs the frames expanded.
     */
    private static final class EarlyWrites extends AnalyzerAdapter
    {
        private final MethodNode method;
        private final Set<AbstractInsnNode> writes;

        EarlyWrites(
            final String owner, final int access, final String name, final String descriptor, final MethodNode method,
            final Set<AbstractInsnNode> writes)
        {
            super(Opcodes.ASM9, owner, access, name, descriptor, method);
            this.method = method;
            this.writes = writes;
        }

        @Override
        public void visitFieldInsn(final int opcode, final String owner, final String name, final String descriptor)
        {
            // unknown (unreachable code) counts as uninitialized: the putfield then stays, which is always valid
            final boolean early = opcode == Opcodes.PUTFIELD && (null == stack ||
                stack.get(stack.size() - 1 - Type.getType(descriptor).getSize()) == Opcodes.UNINITIALIZED_THIS);
            super.visitFieldInsn(opcode, owner, name, descriptor);
            if (early)
            {
                writes.add(method.instructions.getLast());
            }
        }
    }
}
