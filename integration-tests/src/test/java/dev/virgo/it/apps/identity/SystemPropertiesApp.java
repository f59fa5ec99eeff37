package dev.virgo.it.apps.identity;

import dev.virgo.it.apps.Check;

/**
 * A moved thread sees the program's system properties as of its {@code start()}: one passed with {@code -D}, those
 * the program set, through {@code System.getProperty} and through the JDK's own readers; the node's own for the keys
 * that describe the JVM it runs on; and its own {@code System.setProperty} only. Run with
 * {@code -Dapp.fromCommandLine=cli} and {@code offload=dev.virgo.it.apps.identity.SystemPropertiesApp*,localNodes=1}
 * (both readers on one node).
 */
public final class SystemPropertiesApp
{
    static final class Reader implements Runnable
    {
        final String label;
        long ranIn;
        String fromCommandLine;
        String setByProgram;
        String phase;
        Integer count;
        boolean flag;
        String classPath;
        String leftByTheOther;
        String ownAfterSet;

        Reader(final String label)
        {
            this.label = label;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            fromCommandLine = System.getProperty("app.fromCommandLine");
            setByProgram = System.getProperty("app.setByProgram", "unset");
            phase = System.getProperty("app.phase");
            count = Integer.getInteger("app.count");
            flag = Boolean.getBoolean("app.flag");
            classPath = System.getProperty("java.class.path");
            leftByTheOther = System.getProperty("app.setByThread");
            System.setProperty("app.setByThread", label);
            ownAfterSet = System.getProperty("app.setByThread");
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final long origin = Check.pid();
        final String originClassPath = System.getProperty("java.class.path");
        System.setProperty("app.setByProgram", "42");
        System.setProperty("app.count", "17");
        System.setProperty("app.flag", "true");
        System.setProperty("app.phase", "first");
        final Reader first = new Reader("first");
        final Thread firstThread = new Thread(first, "first-reader");
        firstThread.start();
        System.setProperty("app.phase", "second");
        final Reader second = new Reader("second");
        final Thread secondThread = new Thread(second, "second-reader");
        secondThread.start();
        firstThread.join();
        secondThread.join();

        Check.that("readers-moved", first.ranIn != origin && second.ranIn != origin, first.ranIn + " " + second.ranIn);
        Check.that("command-line-property", "cli".equals(first.fromCommandLine), first.fromCommandLine);
        Check.that("property-set-by-program", "42".equals(first.setByProgram), first.setByProgram);
        Check.that("integer-get-integer", Integer.valueOf(17).equals(first.count), first.count);
        Check.that("boolean-get-boolean", first.flag, "false");
        Check.that("properties-as-of-start", "first".equals(first.phase) && "second".equals(second.phase),
            first.phase + " " + second.phase);
        Check.that("machine-keys-are-the-nodes", null != first.classPath && first.classPath.contains("virgo.jar") &&
            !first.classPath.equals(originClassPath), first.classPath);
        Check.that("own-write-seen-by-the-thread", "first".equals(first.ownAfterSet) &&
            "second".equals(second.ownAfterSet), first.ownAfterSet + " " + second.ownAfterSet);
        Check.that("own-write-stays-in-the-thread", null == first.leftByTheOther && null == second.leftByTheOther,
            first.leftByTheOther + " " + second.leftByTheOther);
        Check.that("own-write-not-written-back", null == System.getProperty("app.setByThread"),
            System.getProperty("app.setByThread"));
        System.out.println("DONE");
    }
}
