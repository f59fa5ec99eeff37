package dev.virgo.runtime.classes;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Tells the application's classes from the JDK's and Virgo's own. Only application classes are ever moved,
 * instrumented, or have their static fields copied.
 */
public final class ApplicationClasses
{
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
    private static final List<String> VIRGO = List.of(
        "dev.virgo.agent.", "dev.virgo.runtime.", "dev.virgo.shaded.", "dev.virgo.api.", "dev.virgo.dsm.");
    /** Besides Virgo's own: the JDK's, Virgo's dependencies' (unrelocated, in tests) and test runners'. */
    private static final List<String> JDK_AND_TOOLS = List.of(
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "org.ietf.", "org.w3c.", "org.xml.",
        "net.bytebuddy.",
        "io.aeron.", "org.agrona.", "com.esotericsoftware.", "org.objenesis.", "org.objectweb.asm.", "picocli.",
        "com.intellij.rt.", "org.junit.", "org.apache.maven.surefire.");

    private ApplicationClasses()
    {
    }

    /** @return true for a class loader that is neither the bootstrap nor the platform loader. */
    public static boolean isApplicationLoader(final ClassLoader loader)
    {
        return null != loader && PLATFORM != loader;
    }

    /** @return true for names in the JDK's, Virgo's, its dependencies' and test runners' packages. */
    public static boolean isVirgoOrJdkClassName(final String className)
    {
        return isVirgoClassName(className) || startsWithAny(className, JDK_AND_TOOLS);
    }

    /** @return true for Virgo's own packages (not its examples, which are an application like any other). */
    public static boolean isVirgoClassName(final String className)
    {
        return startsWithAny(className, VIRGO);
    }

    private static boolean startsWithAny(final String className, final List<String> prefixes)
    {
        for (final String prefix : prefixes)
        {
            if (className.startsWith(prefix))
            {
                return true;
            }
        }
        return false;
    }

    /** @return true when the class belongs to the application: loaded by an application loader, not ours. */
    public static boolean isApplicationClass(final Class<?> type)
    {
        return isApplicationLoader(type.getClassLoader()) && !isVirgoOrJdkClassName(type.getName());
    }

    /**
     * The class a lambda or nested class "belongs to": {@code com.acme.Main$$Lambda/0x...} and {@code com.acme.Main$1}
     * both belong to {@code com.acme.Main}.
     */
    public static String owningClassName(final String className)
    {
        final int lambda = className.indexOf("$$Lambda");
        final String name = lambda > 0 ? className.substring(0, lambda) : className;
        final int nested = name.indexOf('$', name.lastIndexOf('.') + 1);
        return nested > 0 ? name.substring(0, nested) : name;
    }

    /** Compiles class names and globs ({@code *} is any run of characters) into one pattern. */
    public static Pattern globs(final List<String> patterns)
    {
        if (patterns.isEmpty())
        {
            return Pattern.compile("(?!)");
        }
        final StringBuilder regex = new StringBuilder();
        for (final String pattern : patterns)
        {
            if (regex.length() > 0)
            {
                regex.append('|');
            }
            for (final String part : pattern.split("\\*", -1))
            {
                regex.append(Pattern.quote(part)).append(".*");
            }
            regex.setLength(regex.length() - 2);
        }
        return Pattern.compile(regex.toString());
    }
}
