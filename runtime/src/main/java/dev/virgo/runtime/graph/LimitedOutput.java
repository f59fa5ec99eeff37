package dev.virgo.runtime.graph;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;

/**
 * A Kryo output that grows up to a hard limit and remembers how far the encoding got when it hit the limit,
 * so the error can name both numbers.
 */
final class LimitedOutput extends Output
{
    private static final int INITIAL_BYTES = 4096;

    private long reachedBytes;

    LimitedOutput(final int limitBytes)
    {
        super(Math.min(INITIAL_BYTES, limitBytes), limitBytes);
    }

    @Override
    protected boolean require(final int required) throws KryoException
    {
        final long needed = (long)position + required;
        if (needed > maxCapacity && needed > reachedBytes)
        {
            reachedBytes = needed;
        }
        return super.require(required);
    }

    boolean overflowed()
    {
        return reachedBytes > 0;
    }

    long reachedBytes()
    {
        return reachedBytes;
    }

    int limitBytes()
    {
        return maxCapacity;
    }
}
