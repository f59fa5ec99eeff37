package dev.virgo.runtime.node;

import dev.virgo.runtime.sharing.SyncSites;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The monitors of one method: each {@code monitorenter} and {@code monitorexit} pairs with {@link SyncSites}, and a
 * {@code synchronized} method tells it of its entry and of every exit. The local monitor stays where it was, so the
 * method keeps its meaning for objects only this node has, and HotSpot still compiles it:
 * <ul>
 *     <li>C2 refuses a method whose monitors it cannot match, as when an instruction that may throw while a monitor
 *     is held is covered by no catch-all handler: every call added inside a block is covered by one;</li>
 *     <li>C1 refuses a method where an instruction of a handler's first block may throw to that same handler
 *     (javac's handler of a {@code synchronized} block covers itself, to retry its {@code monitorexit}), and one
 *     where a jump reaches a handler: no call is added to javac's handler, and no jump either.</li>
 * </ul>
 *
 * <p>So a {@code synchronized} block as javac compiles it ({@code dup; astore m; monitorenter; body; aload m;
 * monitorexit}, and a catch-all handler {@code astore t; aload m; monitorexit; aload t; athrow} that covers the body
 * and itself) becomes: {@code dup; monitorenter; entered}, the body, {@code aload m; dup; exiting; monitorexit}; an
 * exception in the body goes to a new handler {@code aload m; dup; exiting; monitorexit; athrow}; and a failure
 * of SyncSites' own calls (which then has forgotten the entry) goes to javac's handler, which exits the local
 * monitor only. Code shaped otherwise gets the calls next to its {@code monitorenter} and every
 * {@code monitorexit}, where a failing {@code exiting} may be called again by a handler that retries.
 */
final class MonitorSites
{
    private static final String SYNC_SITES = Type.getInternalName(SyncSites.class);
    private static final String MONITOR_DESCRIPTOR = "(Ljava/lang/Object;)V";

    private final MethodNode method;
    private final InsnList code;
    private final String className;
    private final boolean hasFrames;
    private final boolean canLoadClassConstants;
    /** The code of SyncSites' calls in blocks, each as the labels around it: a failure there skips {@code exiting}. */
    private final List<LabelNode[]> callSpans = new ArrayList<>();

    private MonitorSites(
        final MethodNode method, final String className, final boolean hasFrames, final boolean canLoadClassConstants)
    {
        this.method = method;
        this.code = method.instructions;
        this.className = className;
        this.hasFrames = hasFrames;
        this.canLoadClassConstants = canLoadClassConstants;
    }

    /** @return true when the method has a monitor (or is synchronized) and now tells SyncSites of it. */
    static boolean rewrite(
        final MethodNode method, final String className, final boolean hasFrames, final boolean canLoadClassConstants)
    {
        return new MonitorSites(method, className, hasFrames, canLoadClassConstants).rewrite();
    }

    static boolean isSynchronizedWithCode(final int access, final String name)
    {
        // the JVM ignores the flag on a class initializer, and a constructor may not have it
        return (access & Opcodes.ACC_SYNCHRONIZED) != 0 && (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0 &&
            !"<clinit>".equals(name) && !"<init>".equals(name);
    }

    /** Pushes a class: {@code ldc}, or {@code Class.forName} in a class file before Java 5. */
    static void pushClass(final String internalName, final boolean canLoadClassConstants, final InsnList code)
    {
        if (canLoadClassConstants)
        {
            code.add(new LdcInsnNode(Type.getObjectType(internalName)));
        }
        else
        {
            code.add(new LdcInsnNode(internalName.replace('/', '.')));
            code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Class", "forName",
                "(Ljava/lang/String;)Ljava/lang/Class;", false));
        }
    }

    private boolean rewrite()
    {
        final Map<LabelNode, VarInsnNode> javacHandlers = javacHandlers();
        final Set<AbstractInsnNode> handlerExits = new HashSet<>();
        for (final VarInsnNode monitorLoad : javacHandlers.values())
        {
            handlerExits.add(next(monitorLoad));
        }
        boolean rewritten = false;
        for (final AbstractInsnNode insn : code.toArray())
        {
            if (insn.getOpcode() == Opcodes.MONITORENTER)
            {
                enter(insn, javacHandlers.keySet());
                rewritten = true;
            }
            else if (insn.getOpcode() == Opcodes.MONITOREXIT && !handlerExits.contains(insn))
            {
                exit(insn);
                rewritten = true;
            }
        }
        for (final Map.Entry<LabelNode, VarInsnNode> handler : javacHandlers.entrySet())
        {
            exitThroughSyncSites(handler.getKey(), handler.getValue().var);
        }
        if (isSynchronizedWithCode(method.access, method.name) && !writesLocalZero())
        {
            pairSynchronizedMethod();
            rewritten = true;
        }
        return rewritten;
    }

    /**
     * {@code dup; monitorenter; entered}, covered by the block's catch-all: a range that starts right after the
     * {@code monitorenter} now starts before the call, one that ends there still ends before it, and a jump to the
     * block's first instruction (a loop that starts the block) skips it. In a block javac compiled only its own
     * handler's range moves: a {@code try} that starts the body catches what the body throws, not a failure to enter.
     */
    private void enter(final AbstractInsnNode monitorenter, final Set<LabelNode> javacHandlers)
    {
        final Set<LabelNode> boundary = new HashSet<>();
        for (AbstractInsnNode node = monitorenter.getNext(); null != node && node.getOpcode() < 0; node = node.getNext())
        {
            if (node instanceof LabelNode)
            {
                boundary.add((LabelNode)node);
            }
        }
        final LabelNode callStart = new LabelNode();
        final LabelNode callEnd = new LabelNode();
        final InsnList call = new InsnList();
        call.add(callStart);
        call.add(syncSitesCall("entered"));
        call.add(callEnd);
        code.insertBefore(monitorenter, new InsnNode(Opcodes.DUP));
        code.insert(monitorenter, call);
        callSpans.add(new LabelNode[] {callStart, callEnd});
        boolean isJavacBlock = false;
        for (final TryCatchBlockNode block : method.tryCatchBlocks)
        {
            isJavacBlock |= boundary.contains(block.start) && javacHandlers.contains(block.handler);
        }
        for (final TryCatchBlockNode block : method.tryCatchBlocks)
        {
            if (boundary.contains(block.start) && !boundary.contains(block.end) &&
                (!isJavacBlock || javacHandlers.contains(block.handler)))
            {
                block.start = callStart;
            }
            else if (boundary.contains(block.end) && !boundary.contains(block.start))
            {
                block.end = callStart;
            }
        }
    }

    /** {@code dup; exiting; monitorexit}: the span of a failure of {@code exiting} ends after the monitorexit. */
    private void exit(final AbstractInsnNode monitorexit)
    {
        final LabelNode callStart = new LabelNode();
        final LabelNode callEnd = new LabelNode();
        final InsnList call = new InsnList();
        call.add(new InsnNode(Opcodes.DUP));
        call.add(callStart);
        call.add(syncSitesCall("exiting"));
        code.insertBefore(monitorexit, call);
        code.insert(monitorexit, callEnd);
        callSpans.add(new LabelNode[] {callStart, callEnd});
    }

    /**
     * javac's handlers of synchronized blocks, found by their code ({@code astore t; aload m; monitorexit; aload t;
     * athrow}) and by being catch-all only: each to the {@code aload m} that names the monitor's local.
     */
    private Map<LabelNode, VarInsnNode> javacHandlers()
    {
        final Map<LabelNode, VarInsnNode> handlers = new HashMap<>();
        final Set<LabelNode> typed = new HashSet<>();
        for (final TryCatchBlockNode block : method.tryCatchBlocks)
        {
            if (null != block.type)
            {
                typed.add(block.handler);
                continue;
            }
            final AbstractInsnNode store = next(block.handler);
            final AbstractInsnNode load = next(store);
            final AbstractInsnNode exit = next(load);
            final AbstractInsnNode reload = next(exit);
            final boolean isJavacHandler = store.getOpcode() == Opcodes.ASTORE && load.getOpcode() == Opcodes.ALOAD &&
                exit.getOpcode() == Opcodes.MONITOREXIT && reload.getOpcode() == Opcodes.ALOAD &&
                ((VarInsnNode)reload).var == ((VarInsnNode)store).var && next(reload).getOpcode() == Opcodes.ATHROW &&
                (!hasFrames || null != frameAt(block.handler));
            if (isJavacHandler)
            {
                handlers.put(block.handler, (VarInsnNode)load);
            }
        }
        handlers.keySet().removeAll(typed);
        return handlers;
    }

    /**
     * The ranges of javac's handler that cover the block lead to a new handler that calls {@code exiting} first
     * ({@code aload m; dup; exiting; monitorexit; athrow}, with the frame of javac's, placed right after it so
     * that what it rethrows goes where javac's rethrow goes), but for the spans of SyncSites' own calls, which
     * keep javac's handler; so does the new handler's call. javac's handler keeps its range over itself.
     */
    private void exitThroughSyncSites(final LabelNode javacHandler, final int monitorLocal)
    {
        final LabelNode handler = new LabelNode();
        final LabelNode callStart = new LabelNode();
        final LabelNode callEnd = new LabelNode();
        final FrameNode frame = frameAt(javacHandler);
        final List<TryCatchBlockNode> blocks = new ArrayList<>();
        for (final TryCatchBlockNode block : method.tryCatchBlocks)
        {
            if (block.handler == javacHandler && !covers(block, javacHandler))
            {
                split(block, handler, javacHandler, blocks);
            }
            else
            {
                blocks.add(block);
            }
        }
        blocks.add(0, new TryCatchBlockNode(callStart, callEnd, javacHandler, null)); // before enclosing blocks'
        method.tryCatchBlocks = blocks;

        final InsnList handlerCode = new InsnList();
        handlerCode.add(handler);
        if (null != frame)
        {
            handlerCode.add(new FrameNode(frame.type, frame.local.size(), frame.local.toArray(), frame.stack.size(),
                frame.stack.toArray()));
        }
        handlerCode.add(new VarInsnNode(Opcodes.ALOAD, monitorLocal));
        handlerCode.add(new InsnNode(Opcodes.DUP));
        handlerCode.add(callStart);
        handlerCode.add(syncSitesCall("exiting"));
        handlerCode.add(callEnd);
        handlerCode.add(new InsnNode(Opcodes.MONITOREXIT));
        handlerCode.add(new InsnNode(Opcodes.ATHROW));
        // right after javac's athrow: what it rethrows goes where javac's rethrow goes
        code.insert(next(next(next(next(next(javacHandler))))), handlerCode);
    }

    /** The range in pieces, in place: SyncSites' calls to {@code callsHandler}, the rest to {@code bodyHandler}. */
    private void split(
        final TryCatchBlockNode block, final LabelNode bodyHandler, final LabelNode callsHandler,
        final List<TryCatchBlockNode> into)
    {
        final int end = code.indexOf(block.end);
        LabelNode pieceStart = block.start;
        for (final LabelNode[] span : callSpans)
        {
            if (code.indexOf(span[0]) >= code.indexOf(pieceStart) && code.indexOf(span[1]) <= end)
            {
                addIfNotEmpty(pieceStart, span[0], bodyHandler, into);
                into.add(new TryCatchBlockNode(span[0], span[1], callsHandler, null));
                pieceStart = span[1];
            }
        }
        addIfNotEmpty(pieceStart, block.end, bodyHandler, into);
    }

    private void addIfNotEmpty(
        final LabelNode start, final LabelNode end, final LabelNode handler, final List<TryCatchBlockNode> into)
    {
        for (AbstractInsnNode node = start; null != node && node != end; node = node.getNext())
        {
            if (node.getOpcode() >= 0)
            {
                into.add(new TryCatchBlockNode(start, end, handler, null));
                return;
            }
        }
    }

    private boolean covers(final TryCatchBlockNode block, final LabelNode label)
    {
        final int index = code.indexOf(label);
        return code.indexOf(block.start) <= index && index < code.indexOf(block.end);
    }

    /**
     * The JVM holds the monitor of a synchronized method around the whole call; SyncSites hears {@code entered}
     * first and {@code exiting} before each return, and in a catch-all handler added last (so that the method's own
     * handlers catch first) that rethrows. The handler covers the body but neither SyncSites' calls nor the returns:
     * a failed call has forgotten its entry, and nothing calls it again.
     */
    private void pairSynchronizedMethod()
    {
        final LabelNode handler = new LabelNode();
        LabelNode rangeStart = new LabelNode();
        final InsnList prologue = new InsnList();
        pushMonitor(prologue);
        prologue.add(syncSitesCall("entered"));
        prologue.add(rangeStart);
        code.insert(prologue);

        final List<TryCatchBlockNode> blocks = new ArrayList<>();
        for (final AbstractInsnNode insn : code.toArray())
        {
            final int opcode = insn.getOpcode();
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN)
            {
                final LabelNode rangeEnd = new LabelNode();
                final InsnList exit = new InsnList();
                exit.add(rangeEnd);
                pushMonitor(exit);
                exit.add(syncSitesCall("exiting"));
                code.insertBefore(insn, exit);
                addIfNotEmpty(rangeStart, rangeEnd, handler, blocks);
                rangeStart = new LabelNode();
                code.insert(insn, rangeStart);
            }
        }
        final LabelNode bodyEnd = new LabelNode();
        code.add(bodyEnd);
        addIfNotEmpty(rangeStart, bodyEnd, handler, blocks);
        method.tryCatchBlocks.addAll(blocks);

        code.add(handler);
        if (hasFrames)
        {
            final Object[] locals = (method.access & Opcodes.ACC_STATIC) != 0 ? new Object[0] : new Object[] {className};
            code.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"}));
        }
        pushMonitor(code);
        code.add(syncSitesCall("exiting"));
        code.add(new InsnNode(Opcodes.ATHROW));
    }

    private void pushMonitor(final InsnList into)
    {
        if ((method.access & Opcodes.ACC_STATIC) != 0)
        {
            pushClass(className, canLoadClassConstants, into);
        }
        else
        {
            into.add(new VarInsnNode(Opcodes.ALOAD, 0));
        }
    }

    /**
     * The monitor of a synchronized instance method is loaded from local 0 at each exit. No compiler writes it (it is
     * {@code this} in Java and Kotlin); a method that does keeps only its local monitor.
     */
    private boolean writesLocalZero()
    {
        if ((method.access & Opcodes.ACC_STATIC) != 0)
        {
            return false;
        }
        for (final AbstractInsnNode insn : code)
        {
            final boolean isStore = insn.getOpcode() >= Opcodes.ISTORE && insn.getOpcode() <= Opcodes.ASTORE;
            if ((isStore && ((VarInsnNode)insn).var == 0) || (insn instanceof IincInsnNode && ((IincInsnNode)insn).var == 0))
            {
                return true;
            }
        }
        return false;
    }

    /** The next instruction, past labels, line numbers and frames; a node with no next instruction is its own. */
    private static AbstractInsnNode next(final AbstractInsnNode node)
    {
        AbstractInsnNode insn = node.getNext();
        while (null != insn && insn.getOpcode() < 0)
        {
            insn = insn.getNext();
        }
        return null == insn ? node : insn;
    }

    /** The frame at a label: none before Java 6. */
    private static FrameNode frameAt(final LabelNode label)
    {
        for (AbstractInsnNode node = label.getNext(); null != node && node.getOpcode() < 0; node = node.getNext())
        {
            if (node instanceof FrameNode)
            {
                return (FrameNode)node;
            }
        }
        return null;
    }

    private static MethodInsnNode syncSitesCall(final String name)
    {
        return new MethodInsnNode(Opcodes.INVOKESTATIC, SYNC_SITES, name, MONITOR_DESCRIPTOR, false);
    }
}
