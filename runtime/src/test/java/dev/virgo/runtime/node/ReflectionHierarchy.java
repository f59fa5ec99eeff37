package dev.virgo.runtime.node;

import dev.virgo.runtime.classes.ApplicationClasses;
import org.objectweb.asm.Type;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/** What {@link MovedCodeRewriter} needs of other classes, answered by reflection on the tests' own classes. */
final class ReflectionHierarchy implements MovedCodeRewriter.Hierarchy
{
    static final ReflectionHierarchy INSTANCE = new ReflectionHierarchy();

    private ReflectionHierarchy()
    {
    }

    @Override
    public String superName(final String internalName)
    {
        final Class<?> superclass = type(internalName).getSuperclass();
        return null == superclass ? null : Type.getInternalName(superclass);
    }

    @Override
    public boolean declares(final String internalName, final String name, final String descriptor)
    {
        for (final Method method : type(internalName).getDeclaredMethods())
        {
            if (method.getName().equals(name) && Type.getMethodDescriptor(method).equals(descriptor))
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public String[] interfaces(final String internalName)
    {
        final Class<?>[] interfaces = type(internalName).getInterfaces();
        final String[] names = new String[interfaces.length];
        for (int i = 0; i < names.length; i++)
        {
            names[i] = Type.getInternalName(interfaces[i]);
        }
        return names;
    }

    @Override
    public int fieldAccess(final String internalName, final String name, final String descriptor)
    {
        for (final Field field : type(internalName).getDeclaredFields())
        {
            if (field.getName().equals(name) && Type.getDescriptor(field.getType()).equals(descriptor))
            {
                return field.getModifiers();
            }
        }
        return -1;
    }

    @Override
    public boolean isApplicationClass(final String internalName)
    {
        return !ApplicationClasses.isVirgoOrJdkClassName(internalName.replace('/', '.'));
    }

    static Class<?> type(final String internalName)
    {
        try
        {
            return Class.forName(internalName.replace('/', '.'), false, ReflectionHierarchy.class.getClassLoader());
        }
        catch (final ClassNotFoundException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
