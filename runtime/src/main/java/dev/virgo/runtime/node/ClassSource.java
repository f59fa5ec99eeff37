package dev.virgo.runtime.node;

/**
 * Where a node gets the bytes of an application class: from the origin that sent the thread, as the origin's class
 * loader of that thread defines it, cached per origin and loader.
 */
@FunctionalInterface
public interface ClassSource
{
    /**
     * @param className binary name, e.g. {@code com.acme.Worker$1}.
     * @return the class file bytes, or null when the origin has no such class.
     * @throws ClassNotFoundException when the origin refused the request, saying why (the message says).
     * @throws dev.virgo.api.VirgoException when the origin does not answer in time.
     */
    byte[] classBytes(String className) throws ClassNotFoundException;
}
