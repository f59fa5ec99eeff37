package dev.virgo.it.apps.identity;

import dev.virgo.it.apps.Check;


/**
 * A moved thread ends the program as it would in one JVM, while another moved thread still works: arguments
 * {@code exit|runtime-exit|halt status}. The exiter prints {@code EXITER-RAN-IN pid} first, and a line after the
 * call and in a {@code finally}, neither of which may ever appear. Run with
 * {@code offload=dev.virgo.it.apps.identity.ExitApp*}.
 */
public final class ExitApp
{
    static final long WAIT_MS = 60_000;

    static final class Worker implements Runnable
    {
        @Override
        public void run()
        {
            while (!Thread.currentThread().isInterrupted())
            {
                try
                {
                    Thread.sleep(1);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    static final class Exiter implements Runnable
    {
        final String how;
        final int status;

        Exiter(final String how, final int status)
        {
            this.how = how;
            this.status = status;
        }

        @Override
        public void run()
        {
            System.out.println("EXITER-RAN-IN " + Check.pid());
            try
            {
                switch (how)
                {
                    case "exit": System.exit(status); break;
                    case "runtime-exit": Runtime.getRuntime().exit(status); break;
                    case "halt": Runtime.getRuntime().halt(status); break;
                    default: throw new IllegalArgumentException(how);
                }
                System.out.println("AFTER-EXIT " + how);
            }
            finally
            {
                System.out.println("FINALLY-AFTER-EXIT " + how);
            }
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final Thread worker = new Thread(new Worker(), "worker");
        worker.start();
        final Thread exiter = new Thread(new Exiter(args[0], Integer.parseInt(args[1])), "exiter");
        exiter.start();
        exiter.join(WAIT_MS);
        System.out.println("FAIL exit-ended-the-program: main went on after the exiter (alive " + exiter.isAlive() +
            ")");
        worker.interrupt();
        worker.join(WAIT_MS);
    }
}
