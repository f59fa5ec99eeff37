package dev.virgo.runtime.transport;

import dev.virgo.api.VirgoException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TransportSettingsTest
{
    @Test
    void shouldAcceptDefaults()
    {
        final TransportSettings settings = new TransportSettings().validate();
        assertEquals(TransportSettings.DEFAULT_MAX_MESSAGE_BYTES, settings.maxMessageBytes());
        assertEquals(64 * 1024 * 1024, settings.maxMessageBytes());
        assertTrue(settings.ipcTermLengthBytes() <= 4 * 1024 * 1024);
        assertTrue(settings.aeronDir().endsWith("-virgo-" + ProcessHandle.current().pid()));
    }

    @Test
    void shouldNameTermLengthThatIsNotAPowerOfTwo()
    {
        final VirgoException ex = assertThrows(
            VirgoException.class, () -> new TransportSettings().ipcTermLengthBytes(3_000_000).validate());
        assertTrue(ex.getMessage().contains("ipcTermLengthBytes=3000000"), ex.getMessage());
    }

    @Test
    void shouldNameUnknownIdleStrategy()
    {
        final VirgoException ex = assertThrows(
            VirgoException.class, () -> new TransportSettings().idleStrategy("lazy").validate());
        assertTrue(ex.getMessage().contains("idleStrategy=lazy"), ex.getMessage());
    }

    @Test
    void shouldNameNonPositiveMaxMessageBytesAndDriverTimeout()
    {
        assertTrue(assertThrows(VirgoException.class, () -> new TransportSettings().maxMessageBytes(0).validate())
            .getMessage().contains("maxMessageBytes=0"));
        assertTrue(assertThrows(VirgoException.class, () -> new TransportSettings().driverTimeoutMs(-1).validate())
            .getMessage().contains("driverTimeoutMs=-1"));
    }

    @Test
    void shouldBuildIdleStrategiesByName()
    {
        assertInstanceOf(BackoffIdleStrategy.class, IdleStrategies.forName("backoff"));
        assertInstanceOf(BusySpinIdleStrategy.class, IdleStrategies.forName("spinning"));
        assertNotNull(IdleStrategies.forName("yielding"));
        assertNotNull(IdleStrategies.forName("sleeping"));
        assertTrue(assertThrows(VirgoException.class, () -> IdleStrategies.forName("turbo"))
            .getMessage().contains("idleStrategy=turbo"));
    }
}
