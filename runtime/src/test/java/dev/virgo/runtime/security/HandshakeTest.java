package dev.virgo.runtime.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeTest
{
    private static final String CHANNEL = "aeron:udp?endpoint=127.0.0.1:40123";

    @TempDir
    Path dir;

    @Test
    void shouldProveTheSameSecretBothWaysAndAgreeOnKeys() throws Exception
    {
        final Handshake origin = new Handshake(secret("a", "A"));
        final Handshake node = new Handshake(secret("b", "A"));
        final byte[] nonceO = origin.newNonce();
        final byte[] nonceN = node.newNonce();

        assertTrue(Handshake.proofMatches(
            origin.helloProof(nonceO, 7, CHANNEL, 10, 99, 1_000), node.helloProof(nonceO, 7, CHANNEL, 10, 99, 1_000)));
        assertTrue(Handshake.proofMatches(
            node.welcomeProof(nonceO, nonceN, 7, 5), origin.welcomeProof(nonceO, nonceN, 7, 5)));

        final byte[][] originKeys = origin.sessionKeys(nonceO, nonceN);
        final byte[][] nodeKeys = node.sessionKeys(nonceO, nonceN);
        assertArrayEquals(originKeys[0], nodeKeys[0]);
        assertArrayEquals(originKeys[1], nodeKeys[1]);
        assertFalse(java.util.Arrays.equals(originKeys[0], originKeys[1]), "a key per direction");
    }

    @Test
    void shouldRefuseAWrongSecretOrAnyChangedField() throws Exception
    {
        final Handshake origin = new Handshake(secret("a", "A"));
        final Handshake wrong = new Handshake(secret("b", "B"));
        final byte[] nonce = origin.newNonce();
        final byte[] proof = origin.helloProof(nonce, 7, CHANNEL, 10, 99, 1_000);

        assertFalse(Handshake.proofMatches(wrong.helloProof(nonce, 7, CHANNEL, 10, 99, 1_000), proof));
        assertFalse(Handshake.proofMatches(origin.helloProof(nonce, 7, CHANNEL + "1", 10, 99, 1_000), proof),
            "a foreign reply channel");
        assertFalse(Handshake.proofMatches(origin.helloProof(nonce, 8, CHANNEL, 10, 99, 1_000), proof));
        assertFalse(Handshake.proofMatches(origin.helloProof(nonce, 7, CHANNEL, 11, 99, 1_000), proof));
        assertFalse(Handshake.proofMatches(origin.helloProof(nonce, 7, CHANNEL, 10, 98, 1_000), proof));
        assertFalse(Handshake.proofMatches(origin.helloProof(nonce, 7, CHANNEL, 10, 99, 1_001), proof));
        assertFalse(Handshake.proofMatches(origin.helloProof(origin.newNonce(), 7, CHANNEL, 10, 99, 1_000), proof));
        assertTrue(Handshake.isAbsent(new byte[Handshake.PROOF_BYTES]));
        assertFalse(Handshake.isAbsent(proof));
    }

    @Test
    void shouldBoundTheTimestampWindow()
    {
        assertTrue(Handshake.isFresh(100_000, 100_000 + Handshake.TIMESTAMP_WINDOW_MS));
        assertFalse(Handshake.isFresh(100_000, 100_001 + Handshake.TIMESTAMP_WINDOW_MS));
        assertFalse(Handshake.isFresh(100_001 + Handshake.TIMESTAMP_WINDOW_MS, 100_000));
    }

    @Test
    void shouldRefuseARepeatedNonceWithinTheWindowAndWhenFull()
    {
        final NonceCache cache = new NonceCache(2, 1_000);
        final byte[] a = {1, 2, 3};
        final byte[] b = {4, 5, 6};
        assertFalse(cache.isReplayOrFull(a, 0));
        cache.add(a, 0);
        assertTrue(cache.isReplayOrFull(a, 999), "replayed within the window");
        cache.add(b, 10);
        assertTrue(cache.isReplayOrFull(new byte[] {7}, 500), "full: refused, not forgotten early");
        assertFalse(cache.isReplayOrFull(a, 1_000), "expired with the window");
        assertEquals(1, cache.size());
    }

    private ClusterSecret secret(final String name, final String fill) throws Exception
    {
        final Path file = dir.resolve(name);
        Files.write(file, fill.repeat(40).getBytes(StandardCharsets.US_ASCII));
        return ClusterSecret.read(file);
    }
}
