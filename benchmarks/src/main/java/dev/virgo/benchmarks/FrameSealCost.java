package dev.virgo.benchmarks;

import dev.virgo.runtime.security.FrameOpener;
import dev.virgo.runtime.security.FrameProtection;
import dev.virgo.runtime.security.FrameSealer;
import dev.virgo.runtime.transport.TransportFrame;

import java.util.Locale;

/**
 * What the frame protection costs on its own, in one JVM: {@link FrameSealer#seal} then {@link FrameOpener#open} of one
 * frame, for a shared-heap request (24 bytes of message) and a grant (a 4 KiB page and its 48-byte header), MAC'd and
 * encrypted. Best of 12 rounds of 20,000, so that a busy machine's interruptions count as little as they can; the
 * figure is per frame, both ends' work together.
 * <pre>
 * java -cp benchmarks/target/virgo-heap-benchmarks.jar dev.virgo.benchmarks.FrameSealCost
 * </pre>
 */
public final class FrameSealCost
{
    private static final int ROUNDS = 12;
    private static final int FRAMES_PER_ROUND = 20_000;

    private FrameSealCost()
    {
    }

    public static void main(final String[] args)
    {
        final byte[] key = new byte[32];
        key[0] = 1;
        final int header = TransportFrame.WHOLE_HEADER_LENGTH;
        for (final boolean encrypt : new boolean[]{false, true})
        {
            for (final int body : new int[]{24, 4096 + 48})
            {
                final byte[] frame = new byte[header + body + FrameProtection.TRAILER_LENGTH];
                final byte[] received = frame.clone();
                final FrameSealer sealer = new FrameSealer(key, 1, encrypt);
                final FrameOpener opener = new FrameOpener(key, encrypt);
                double bestNs = Double.MAX_VALUE;
                for (int round = 0; round < ROUNDS; round++)
                {
                    final long startNs = System.nanoTime();
                    for (int i = 0; i < FRAMES_PER_ROUND; i++)
                    {
                        final int length = sealer.seal(frame, 0, header, body);
                        System.arraycopy(frame, 0, received, 0, length);
                        if (opener.open(received, 0, header, length) != body)
                        {
                            throw new IllegalStateException("frame refused: " + opener.refusal());
                        }
                    }
                    bestNs = Math.min(bestNs, (System.nanoTime() - startNs) / (double)FRAMES_PER_ROUND);
                }
                System.out.printf(Locale.ROOT, "%s, %d-byte message: seal + open %.2f us%n",
                    encrypt ? "AES-256-GCM" : "HMAC-SHA256", body, bestNs / 1000);
            }
        }
    }
}
