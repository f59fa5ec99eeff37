package dev.virgo.it.apps.node;

/**
 * One moved thread, named by the first argument, that loops until interrupted: it sleeps in short steps, checks its
 * interrupt status and prints {@code looping} now and then (remote output reaches the origin's console). Run with
 * {@code nodes=127.0.0.1:PORT,offload=dev.virgo.it.apps.node.LoopingApp*}. The test kills this origin while the
 * thread loops; {@code main} never ends on its own.
 */
public final class LoopingApp
{
    static final class Looper implements Runnable
    {
        long ranIn;

        @Override
        public void run()
        {
            ranIn = ProcessHandle.current().pid();
            int steps = 0;
            while (!Thread.currentThread().isInterrupted())
            {
                if (steps++ % 10 == 0)
                {
                    System.out.println("looping in " + ranIn);
                }
                try
                {
                    Thread.sleep(20);
                }
                catch (final InterruptedException ex)
                {
                    break;
                }
            }
            System.out.println("looper interrupted");
        }
    }

    public static void main(final String[] args) throws Exception
    {
        System.out.println("origin pid " + ProcessHandle.current().pid());
        final Thread looper = new Thread(new Looper(), args[0]);
        looper.start();
        looper.join();
        System.out.println("FAIL looper ended while its origin was alive");
    }
}
