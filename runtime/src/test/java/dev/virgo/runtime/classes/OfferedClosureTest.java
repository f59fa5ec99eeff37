package dev.virgo.runtime.classes;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OfferedClosureTest
{
    @Test
    void shouldOfferWhatTheClassesCodeSignaturesAndStringConstantsNameTransitively()
    {
        final Set<String> offered = OfferedClosure.of(ClosureRoot.class);

        assertEquals(Set.of(ClosureRoot.class.getName(), ClosurePart.class.getName(), ClosureDeep.class.getName(),
            ClosureElement.class.getName(), "dev.virgo.runtime.classes.ClosureByName"), offered);
    }

    @Test
    void shouldOfferNothingOfTheJdkAndComputeOncePerClass()
    {
        assertTrue(OfferedClosure.of(String.class).isEmpty());
        assertSame(OfferedClosure.of(ClosureRoot.class), OfferedClosure.of(ClosureRoot.class));
    }

    @Test
    void shouldReadClassNamesInDescriptorsSignaturesAndStrings()
    {
        final Set<String> names = new HashSet<>();
        OfferedClosure.addNames(names, "(Lcom/acme/A;[Lcom/acme/B;)Ljava/util/List<Lcom/acme/C;>;");
        OfferedClosure.addNames(names, "com.acme.D");
        OfferedClosure.addNames(names, "not a class name");
        OfferedClosure.addNames(names, "run");

        assertTrue(names.containsAll(Set.of("com/acme/A", "com/acme/B", "java/util/List", "com/acme/C", "com/acme/D")),
            names.toString());
        assertFalse(names.contains("not a class name"));
    }
}
