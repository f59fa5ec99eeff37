package dev.virgo.runtime.config;

import dev.virgo.api.VirgoException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VirgoConfigurationTest
{
    @Test
    void shouldNotReportPooledCpusByDefault()
    {
        assertFalse(VirgoConfiguration.parse("").reportPooledCpus());
        assertFalse(VirgoConfiguration.parse(null).reportPooledCpus());
    }

    @Test
    void shouldReportPooledCpusWhenAsked()
    {
        assertTrue(VirgoConfiguration.parse("reportPooledCpus=true").reportPooledCpus());
        assertTrue(VirgoConfiguration.parse("offload=com.acme.*,reportPooledCpus=TRUE").reportPooledCpus());
        assertFalse(VirgoConfiguration.parse("reportPooledCpus=false").reportPooledCpus());
    }

    @Test
    void shouldRefuseAReportPooledCpusValueThatIsNeitherTrueNorFalse()
    {
        final VirgoException ex = assertThrows(VirgoException.class,
            () -> VirgoConfiguration.parse("reportPooledCpus=yes"));
        assertEquals("option reportPooledCpus='yes' is invalid: expected true or false", ex.getMessage());
        assertThrows(VirgoException.class, () -> VirgoConfiguration.parse("reportPooledCpus="));
    }

    @Test
    void shouldReadReportPooledCpusFromASystemPropertyUnderTheAgentArgument()
    {
        System.setProperty("virgo.reportPooledCpus", "true");
        try
        {
            assertTrue(VirgoConfiguration.parse("").reportPooledCpus());
            assertFalse(VirgoConfiguration.parse("reportPooledCpus=false").reportPooledCpus());
        }
        finally
        {
            System.clearProperty("virgo.reportPooledCpus");
        }
    }
}
