package dev.virgo.api.heap;

/**
 * A global address: the member that is its home in the top 16 bits, an offset in that member's region in the low
 * 48. Address 0 is never allocated (it is null).
 * <pre>
 *   63            48 47                                              0
 *  +----------------+-------------------------------------------------+
 *  |  home member   |            offset in the home's region          |
 *  +----------------+-------------------------------------------------+
 * </pre>
 * A page is named by its global page number, {@code address >>> pageShift}, which keeps the home in its top bits.
 */
public final class GlobalAddress
{
    public static final int HOME_SHIFT = 48;
    public static final long OFFSET_MASK = (1L << HOME_SHIFT) - 1;
    public static final int MAX_MEMBERS = 1 << 16;

    private GlobalAddress()
    {
    }

    public static long of(final int home, final long offset)
    {
        if (home < 0 || home >= MAX_MEMBERS || offset < 0 || offset > OFFSET_MASK)
        {
            throw new IllegalArgumentException("home=" + home + " offset=0x" + Long.toHexString(offset) +
                ": out of range");
        }
        return ((long)home << HOME_SHIFT) | offset;
    }

    public static int home(final long address)
    {
        return (int)(address >>> HOME_SHIFT);
    }

    public static long offset(final long address)
    {
        return address & OFFSET_MASK;
    }

    public static String toString(final long address)
    {
        return "0x" + Long.toHexString(address) + " (home " + home(address) + ")";
    }
}
