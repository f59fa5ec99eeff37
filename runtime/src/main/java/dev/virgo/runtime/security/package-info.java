/**
 * Trust between an origin and its nodes: the cluster secret ({@link dev.virgo.runtime.security.ClusterSecret}), the
 * mutual challenge-response of HELLO and WELCOME ({@link dev.virgo.runtime.security.Handshake}) with its replay guard
 * ({@link dev.virgo.runtime.security.NonceCache}), session keys derived per direction with HKDF
 * ({@link dev.virgo.runtime.security.Hkdf}), and the per-frame protection that the transport applies below the wire
 * protocol ({@link dev.virgo.runtime.security.FrameSealer} to {@link dev.virgo.runtime.security.FrameOpener}).
 * <p>
 * Only the JDK's {@code javax.crypto} is used: HMAC-SHA256, AES-GCM.
 */
package dev.virgo.runtime.security;
