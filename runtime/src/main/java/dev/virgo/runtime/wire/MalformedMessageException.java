package dev.virgo.runtime.wire;

import dev.virgo.api.VirgoException;

/**
 * A received message that cannot be decoded: truncated, of an unknown type or version, with a negative or overlong
 * length, or with a field outside its range. The receiver answers with an ERROR message, counts it and keeps
 * serving; the message names the type and what was wrong.
 */
public class MalformedMessageException extends VirgoException
{
    public MalformedMessageException(final String message)
    {
        super(message);
    }
}
