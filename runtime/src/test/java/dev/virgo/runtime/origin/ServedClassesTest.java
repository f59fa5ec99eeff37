package dev.virgo.runtime.origin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServedClassesTest
{
    private static final String PACKAGE = "dev.virgo.runtime.classes.";

    @Test
    void shouldServeANodeOnlyTheClosureOfWhatWasOfferedToIt() throws ClassNotFoundException
    {
        final ClassLoader loader = ServedClassesTest.class.getClassLoader();
        final ServedClasses served = new ServedClasses();
        assertNotNull(served.refusal(loader, PACKAGE + "ClosurePart"), "nothing offered yet");

        served.offer(Class.forName(PACKAGE + "ClosureRoot", false, loader));

        assertNull(served.refusal(loader, PACKAGE + "ClosureRoot"));
        assertNull(served.refusal(loader, PACKAGE + "ClosureDeep"), "transitively");
        final String refusal = served.refusal(loader, PACKAGE + "ClosureOutside");
        assertTrue(refusal.startsWith(PACKAGE + "ClosureOutside is not among the classes offered to this node"),
            refusal);
        assertNull(served.refusal(loader, PACKAGE + "package-info"), "the package of an offered class");
        assertNotNull(served.refusal(loader, "dev.virgo.runtime.package-info"), "no class of it offered");
        assertNotNull(served.refusal(ClassLoader.getPlatformClassLoader(), PACKAGE + "ClosurePart"),
            "offered from the loader that defined the offered class only");
    }
}
