package dev.virgo.it.fuzz;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Sends a target frames made from valid messages of every type it accepts ({@link MessageSource}), most of them
 * mutated ({@link Mutator}), framed right or wrong ({@link TransportFramer}), plus wholly random bytes; deterministic
 * from its seed, which the caller prints, so that a failure replays with {@code -Dfuzz.seed=...}.
 * <p>
 * The fuzzer itself lives in the integration tests' tree rather than in a module of its own: it needs the runtime's
 * encoders and keys (to make frames that pass the seal and reach the decoders behind it) and the tests' harness (to
 * start real targets and print their logs on failure), and nothing of it ships in {@code virgo.jar}.
 * <p>
 * Every send waits at most {@link #SEND_TIMEOUT} for the target to take the frame, and the target is checked alive
 * every {@link #LIVENESS_EVERY_FRAMES} frames: a hang or a crash stops the run with the frame count and seed.
 */
public final class FrameFuzzer
{
    /** What a target accepts, well formed. */
    public interface MessageSource
    {
        /** @return a valid message of one of the types the target accepts (sometimes one it does not). */
        byte[] next(SplittableRandom random);

        /**
         * Whether this message may go sealed under the fuzzer's real session. A source refuses what would end or
         * re-key that session (a BYE for it), so that mutated frames keep reaching the decoders behind the seal, and
         * what would let the fuzzer, a keyed peer, take what the after-check needs (a heap page it reads).
         */
        default boolean maySeal(final byte[] message)
        {
            return true;
        }

        /** Called every {@link #LIVENESS_EVERY_FRAMES} frames: e.g. to say HELLO again after a mutated BYE. */
        default void everyBatch(final FuzzLink link)
        {
        }
    }

    public static final Duration SEND_TIMEOUT = Duration.ofSeconds(20);
    public static final int LIVENESS_EVERY_FRAMES = 2048;
    private static final int MUTATE_PERCENT = 70;
    private static final int RANDOM_FRAME_PERCENT = 10;

    private static final TransportFramer.Kind[] FRAMINGS = {
        TransportFramer.Kind.WHOLE_PLAIN, TransportFramer.Kind.WHOLE_PLAIN, TransportFramer.Kind.WHOLE_PLAIN,
        TransportFramer.Kind.WHOLE_SEALED, TransportFramer.Kind.WHOLE_SEALED, TransportFramer.Kind.WHOLE_SEALED,
        TransportFramer.Kind.WHOLE_SEALED, TransportFramer.Kind.FORGED_SESSION, TransportFramer.Kind.BAD_TAG,
        TransportFramer.Kind.REPLAY, TransportFramer.Kind.CHUNKED_PLAIN, TransportFramer.Kind.CHUNKED_SEALED,
        TransportFramer.Kind.CHUNK_ABUSE, TransportFramer.Kind.BAD_FRAME_TYPE, TransportFramer.Kind.SHORT_FRAME};

    private final long seed;
    private final FuzzLink link;
    private final MessageSource source;
    private final TransportFramer framer;
    private final BooleanSupplier targetAlive;
    private final String targetName;

    /**
     * @param framer      seals under the fuzzer's real session with the target, if it has one.
     * @param targetAlive false once the target's process is gone.
     */
    public FrameFuzzer(final long seed, final String targetName, final FuzzLink link, final MessageSource source,
        final TransportFramer framer, final BooleanSupplier targetAlive)
    {
        this.seed = seed;
        this.targetName = targetName;
        this.link = link;
        this.source = source;
        this.framer = framer;
        this.targetAlive = targetAlive;
    }

    /** Sends at least {@code frames} frames; returns what went out, by kind. */
    public FuzzReport run(final long frames)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Map<TransportFramer.Kind, Long> byFraming = new EnumMap<>(TransportFramer.Kind.class);
        final Map<Mutator.Kind, Long> byMutation = new EnumMap<>(Mutator.Kind.class);
        final Mutator.Kind[] mutations = Mutator.Kind.values();
        final int maxFrame = link.maxFrameLength();
        long sent = 0;
        long randomFrames = 0;
        long validMessages = 0;
        long nextBatch = LIVENESS_EVERY_FRAMES;
        long iterations = 0;
        byte[] donor = source.next(random);
        final long beganNs = System.nanoTime();
        while (sent < frames)
        {
            if (sent >= nextBatch)
            {
                nextBatch += LIVENESS_EVERY_FRAMES;
                if (!targetAlive.getAsBoolean())
                {
                    throw new IllegalStateException(targetName + " died after " + sent + " frames (seed " + seed + ")");
                }
                source.everyBatch(link);
            }
            if (0 == (++iterations & 63))
            {
                link.pollReplies((buffer, offset, length, header) -> { });
            }
            if (random.nextInt(100) < RANDOM_FRAME_PERCENT)
            {
                final int length = random.nextInt(16) == 0 ? random.nextInt(maxFrame + 1) : random.nextInt(2048);
                send(Mutator.randomBytes(random, length), sent);
                sent++;
                randomFrames++;
                continue;
            }
            byte[] message = source.next(random);
            if (random.nextInt(100) < MUTATE_PERCENT)
            {
                final Mutator.Kind kind = mutations[random.nextInt(mutations.length)];
                final byte[] mutated = Mutator.mutate(message, donor, random, kind, maxFrame - 64);
                donor = message;
                message = mutated;
                byMutation.merge(kind, 1L, Long::sum);
            }
            else
            {
                validMessages++;
            }
            TransportFramer.Kind framing = FRAMINGS[random.nextInt(FRAMINGS.length)];
            if (isSealed(framing) && (!framer.canSeal() || !source.maySeal(message)))
            {
                framing = TransportFramer.Kind.WHOLE_PLAIN;
            }
            final List<byte[]> out = framer.frame(message, framing, random);
            for (final byte[] frame : out)
            {
                send(frame, sent);
                sent++;
            }
            byFraming.merge(framing, (long)out.size(), Long::sum);
        }
        return new FuzzReport(targetName, seed, sent, randomFrames, validMessages, byFraming, byMutation,
            System.nanoTime() - beganNs, link.backPressureEvents());
    }

    private void send(final byte[] frame, final long sent)
    {
        try
        {
            link.send(frame, Math.min(frame.length, link.maxFrameLength()), SEND_TIMEOUT);
        }
        catch (final IllegalStateException ex)
        {
            throw new IllegalStateException(ex.getMessage() + " after " + sent + " frames (seed " + seed + ")", ex);
        }
    }

    private static boolean isSealed(final TransportFramer.Kind kind)
    {
        return kind == TransportFramer.Kind.WHOLE_SEALED || kind == TransportFramer.Kind.CHUNKED_SEALED ||
            kind == TransportFramer.Kind.BAD_TAG || kind == TransportFramer.Kind.REPLAY;
    }
}
