package dev.virgo.runtime.graph;

/** A moved thread's root for {@link ClassOfferTest}: its code names {@link OfferedPart}, nothing else of the tests. */
final class OfferedWorker implements Runnable
{
    Object result;

    @Override
    public void run()
    {
        result = new OfferedPart(42);
    }
}
