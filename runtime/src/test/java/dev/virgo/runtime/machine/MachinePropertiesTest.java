package dev.virgo.runtime.machine;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachinePropertiesTest
{
    @Test
    void shouldKeepWhatDescribesTheJvmAndMachineOnEachJvm()
    {
        for (final String key : new String[] {"java.home", "java.class.path", "java.vm.version", "java.vendor",
            "java.specification.version", "os.name", "os.arch", "user.dir", "user.home", "line.separator",
            "file.separator", "path.separator", "java.io.tmpdir", "file.encoding", "sun.java.command",
            "jdk.module.path", "virgo.debug", "aeron.dir"})
        {
            assertTrue(MachineProperties.isMachineKey(key), key);
        }
    }

    @Test
    void shouldLetTheProgramsOwnAndItsLocaleChoicesTravel()
    {
        for (final String key : new String[] {"app.mode", "com.acme.threads", "user.timezone", "user.language",
            "java.util.logging.config.file", "jdk.httpclient.keepalive.timeout", "javax.net.ssl.trustStore"})
        {
            assertFalse(MachineProperties.isMachineKey(key), key);
        }
    }

    @Test
    void shouldSendOnlyStringPropertiesThatTravel()
    {
        final Properties properties = new Properties();
        properties.setProperty("app.mode", "fast");
        properties.setProperty("java.home", "/origin/jdk");
        properties.put("app.object", new Object());

        assertEquals(Map.of("app.mode", "fast"), MachineProperties.travelling(properties));
        assertEquals(Map.of("java.home", "/origin/jdk"), MachineProperties.machineOnly(properties));
    }
}
