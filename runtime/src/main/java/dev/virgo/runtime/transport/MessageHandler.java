package dev.virgo.runtime.transport;

import org.agrona.DirectBuffer;

/**
 * Receives one complete message from an {@link Inbox}. The buffer is only valid for the duration of the call: the
 * bytes may live in an Aeron term or a reassembly buffer that is reused afterwards, so copy what must be kept.
 */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * @param buffer holding the message.
     * @param offset at which the message starts.
     * @param length of the message in bytes.
     */
    void onMessage(DirectBuffer buffer, int offset, int length);
}
