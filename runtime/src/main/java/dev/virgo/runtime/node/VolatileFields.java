package dev.virgo.runtime.node;

import org.objectweb.asm.Opcodes;

import java.util.HashMap;
import java.util.Map;

/**
 * Tells, for the field instructions of one class being rewritten, which name a {@code volatile} field of an
 * application class. A field instruction names an owner, which may inherit the field, so it is resolved as the JVM
 * does (JVMS 5.4.3.2): the owner's own fields, then its superinterfaces', then its superclass's. Fields the JDK or
 * Virgo declare are left alone: their own code reads them unrewritten, and reflection could not open them (a
 * subclass of {@code FilterInputStream} reading its {@code volatile in}, say). So are fields that do not resolve
 * (the instruction keeps the JVM's error). A {@code java.*} owner, or superclass, is not even looked up: it and all
 * above it are the JDK's; any other class the hierarchy answers for, from its bytes if it is the application's.
 */
final class VolatileFields
{
    private static final int MAX_DEPTH = 64;
    /** Classes only the JDK may define: a node loads them from the platform, never from the origin. */
    private static final String JDK_PACKAGES = "java/";

    private final String className;
    private final String superName;
    private final String[] interfaces;
    private final Map<String, Integer> ownFields;
    private final MovedCodeRewriter.Hierarchy hierarchy;
    private final Map<String, Boolean> answers = new HashMap<>();

    /**
     * @param ownFields the access flags of the fields the class itself declares, by {@code name + descriptor}: the
     *                  hierarchy may not know the class being defined.
     */
    VolatileFields(
        final String className,
        final String superName,
        final String[] interfaces,
        final Map<String, Integer> ownFields,
        final MovedCodeRewriter.Hierarchy hierarchy)
    {
        this.className = className;
        this.superName = superName;
        this.interfaces = interfaces;
        this.ownFields = ownFields;
        this.hierarchy = hierarchy;
    }

    /** @return true when {@code opcode owner.name descriptor} reads or writes a volatile application field. */
    boolean isVolatile(final int opcode, final String owner, final String name, final String descriptor)
    {
        final boolean isStatic = opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC;
        final String key = (isStatic ? "static " : "") + owner + "." + name + " " + descriptor;
        Boolean answer = answers.get(key);
        if (null == answer)
        {
            answer = resolvesToVolatile(isStatic, owner, name, descriptor);
            answers.put(key, answer);
        }
        return answer;
    }

    /** @return true when {@code owner.name descriptor} is a volatile application field, static or not. */
    boolean mayBeVolatile(final String owner, final String name, final String descriptor)
    {
        return (volatileAccess(owner, name, descriptor) & Opcodes.ACC_VOLATILE) != 0;
    }

    private boolean resolvesToVolatile(
        final boolean isStatic, final String owner, final String name, final String descriptor)
    {
        final int access = volatileAccess(owner, name, descriptor);
        final boolean declaredStatic = (access & Opcodes.ACC_STATIC) != 0;
        return (access & Opcodes.ACC_VOLATILE) != 0 && declaredStatic == isStatic; // else the JVM's error, kept
    }

    /** The access flags of the field the reference resolves to when it is the application's, else 0. */
    private int volatileAccess(final String owner, final String name, final String descriptor)
    {
        if (owner.startsWith(JDK_PACKAGES))
        {
            return 0; // the JDK's, and so are its supertypes: the common case of the JDK's fields, not asked
        }
        final String declaring = declaring(owner, name, descriptor, 0);
        if (null == declaring || !(className.equals(declaring) || hierarchy.isApplicationClass(declaring)))
        {
            return 0; // unresolvable (the instruction keeps the JVM's error), or the JDK's or Virgo's field
        }
        return access(declaring, name, descriptor);
    }

    /** JVMS 5.4.3.2: the class itself, then its superinterfaces (recursively), then its superclass. */
    private String declaring(final String type, final String name, final String descriptor, final int depth)
    {
        if (null == type || depth > MAX_DEPTH)
        {
            return null;
        }
        if (access(type, name, descriptor) >= 0)
        {
            return type;
        }
        for (final String superinterface : className.equals(type) ? interfaces : hierarchy.interfaces(type))
        {
            final String found = declaring(superinterface, name, descriptor, depth + 1);
            if (null != found)
            {
                return found;
            }
        }
        final String superclass = className.equals(type) ? superName : hierarchy.superName(type);
        // a java.* superclass and all above it are the JDK's: whatever they declare is not an application field
        return null == superclass || superclass.startsWith(JDK_PACKAGES) ?
            null : declaring(superclass, name, descriptor, depth + 1);
    }

    private int access(final String type, final String name, final String descriptor)
    {
        if (className.equals(type))
        {
            final Integer access = ownFields.get(name + descriptor);
            return null == access ? -1 : access;
        }
        return hierarchy.fieldAccess(type, name, descriptor);
    }
}
