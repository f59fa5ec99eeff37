package dev.virgo.it.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** A JDK the multi-JVM tests run origins and nodes on. */
public final class Jdk
{
    public static final Path JDK_25_HOME = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");
    private static volatile boolean reported;

    private final String name;
    private final Path javaHome;

    private Jdk(final String name, final Path javaHome)
    {
        this.name = name;
        this.javaHome = javaHome;
    }

    public Path java()
    {
        return javaHome.resolve("bin").resolve("java");
    }

    public String name()
    {
        return name;
    }

    /** JDK 17 (the one running Maven) and JDK 25 where it is installed; says so once when it is not. */
    public static List<Jdk> available()
    {
        final List<Jdk> jdks = new ArrayList<>();
        jdks.add(new Jdk("jdk" + Runtime.version().feature(), Paths.get(System.getProperty("java.home"))));
        if (Files.isExecutable(JDK_25_HOME.resolve("bin").resolve("java")))
        {
            jdks.add(new Jdk("jdk25", JDK_25_HOME));
        }
        else if (!reported)
        {
            reported = true;
            System.out.println("JDK 25 is not installed at " + JDK_25_HOME + ": multi-JVM tests run on " +
                jdks.get(0).name() + " only");
        }
        return jdks;
    }

    @Override
    public String toString()
    {
        return name;
    }
}
