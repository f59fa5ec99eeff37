package dev.virgo.runtime.node;

/** Where a node gets the bytes of an application class: from the origin that sent the thread, cached per origin. */
@FunctionalInterface
public interface ClassSource
{
    /**
     * @param className binary name, e.g. {@code com.acme.Worker$1}.
     * @return the class file bytes, or null when the origin has no such class.
     * @throws dev.virgo.api.VirgoException when the origin does not answer in time.
     */
    byte[] classBytes(String className);
}
