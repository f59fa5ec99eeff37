package dev.virgo.it.apps;

/**
 * Which image of the application's classes a moved thread runs in: threads that carry no static fields share one
 * per origin on a node; a thread that carries statics has its own. Run with {@code localNodes=1}.
 */
public final class ImagesApp
{
    static int counter = 1;

    public static void main(final String[] args) throws Exception
    {
        final StaticsFreeTask first = new StaticsFreeTask();
        final StaticsFreeTask second = new StaticsFreeTask();
        final CarriesStaticsTask withStatics = new CarriesStaticsTask();
        for (final Runnable task : new Runnable[] {first, second, withStatics})
        {
            final Thread thread = new Thread(task);
            thread.start();
            thread.join();
        }
        Check.that("statics-free-threads-share-an-image", null != first.image && first.image.equals(second.image) &&
            first.image.startsWith("virgo-origin-"), first.image + " / " + second.image);
        Check.that("thread-with-statics-has-its-own-image", null != withStatics.image &&
            withStatics.image.startsWith("virgo-thread-"), withStatics.image);
        Check.that("statics-travelled", withStatics.seen == 1 && counter == 2, withStatics.seen + " " + counter);
        System.out.println("DONE");
    }
}

/** Reaches no class with static fields. */
final class StaticsFreeTask implements Runnable
{
    String image;

    @Override
    public void run()
    {
        image = getClass().getClassLoader().getName();
    }
}

/** Reads and writes a static of {@link ImagesApp}. */
final class CarriesStaticsTask implements Runnable
{
    String image;
    int seen;

    @Override
    public void run()
    {
        image = getClass().getClassLoader().getName();
        seen = ImagesApp.counter;
        ImagesApp.counter = 2;
    }
}
