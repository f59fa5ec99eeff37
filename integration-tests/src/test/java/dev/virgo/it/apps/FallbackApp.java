package dev.virgo.it.apps;

/** With no node to take them, chosen threads run locally (one warning), or start() fails with fallback=fail. */
public final class FallbackApp
{
    static final class Task implements Runnable
    {
        long ranIn;

        @Override
        public void run()
        {
            ranIn = Check.pid();
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final boolean expectFailure = args.length > 0 && "expect-failure".equals(args[0]);
        for (int i = 0; i < 3; i++)
        {
            final Task task = new Task();
            final Thread thread = new Thread(task, "task-" + i);
            try
            {
                thread.start();
                thread.join();
                Check.that("ran-locally-" + i, !expectFailure && task.ranIn == Check.pid(), task.ranIn);
            }
            catch (final RuntimeException ex)
            {
                Check.that("start-failed-" + i, expectFailure && ex.getMessage().contains(Task.class.getName()) &&
                    ex.getMessage().contains("fallback=fail"), ex);
                Check.that("thread-not-started-" + i, thread.getState() == Thread.State.NEW, thread.getState());
            }
        }
        System.out.println("DONE");
    }
}
