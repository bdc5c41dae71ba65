package io.qsockets.impl.dccp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Init Cookie of a {@link DccpListener} (RFC 4340 §8.1.4): everything the server needs to
 * create the connection when the client's Ack comes back, authenticated with HMAC-SHA256 so that
 * the listener keeps no state per Request.
 *
 * <p>Layout: key id (1), ISS (6), ISR (6), Service Code (4), issue time in ns (8), the negotiated
 * feature state ({@link FeatureNegotiation#pack}), then the first {@value #MAC_LENGTH} bytes of
 * HMAC-SHA256 over those bytes, the peer's IP address and UDP port and both DCCP ports: a cookie
 * replayed from another UDP port (another source behind the same address) does not verify, so one
 * handshake cannot be turned into many connections. Two keys are live: a fresh one
 * is drawn every {@code lifetime}, and a cookie verifies with the key it names while that key is
 * current or the previous one and while it is younger than {@code lifetime}. Engine-thread
 * confined.
 */
final class InitCookie {

    static final int MAC_LENGTH = 16;
    static final int BODY_LENGTH = 1 + 6 + 6 + 4 + 8 + FeatureNegotiation.packedLength();
    static final int LENGTH = BODY_LENGTH + MAC_LENGTH;
    private static final int KEY_LENGTH = 32;

    private final RandomGenerator rng;
    private final long lifetime;
    private final Mac[] macs = new Mac[2];
    private final boolean[] live = new boolean[2];
    private final byte[] expected = new byte[32];
    private final byte[] portBytes = new byte[6];
    private int current;
    private long rotatedAt;
    private boolean started;

    private long iss;
    private long isr;
    private int serviceCode;
    private final byte[] body = new byte[LENGTH];

    InitCookie(RandomGenerator rng, long lifetimeNanos) {
        this.rng = rng;
        this.lifetime = lifetimeNanos;
        try {
            macs[0] = Mac.getInstance("HmacSHA256");
            macs[1] = Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    private void rotate(long now) {
        if (started && now - rotatedAt < lifetime) {
            return;
        }
        int next = started ? 1 - current : 0;
        if (started && now - rotatedAt >= 2 * lifetime) {
            live[current] = false;
        }
        byte[] key = new byte[KEY_LENGTH];
        rng.nextBytes(key);
        try {
            macs[next].init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot key HmacSHA256", e);
        }
        live[next] = true;
        current = next;
        rotatedAt = now;
        started = true;
    }

    /** Writes a cookie into {@code dst[0, LENGTH)}. */
    void write(byte[] dst, long iss, long isr, int serviceCode, FeatureNegotiation features,
            InetSocketAddress peer, int localPort, int remotePort, long now) {
        rotate(now);
        int at = 0;
        dst[at++] = (byte) current;
        at = put(dst, at, iss, 6);
        at = put(dst, at, isr, 6);
        at = put(dst, at, serviceCode & 0xFFFF_FFFFL, 4);
        at = put(dst, at, now, 8);
        features.pack(dst, at);
        mac(macs[current], dst, peer, localPort, remotePort);
        System.arraycopy(expected, 0, dst, BODY_LENGTH, MAC_LENGTH);
    }

    /**
     * Verifies the cookie in {@code src[offset, offset + length)} for this peer and ports; on
     * success {@link #iss()}, {@link #isr()}, {@link #serviceCode()} and {@link #restoreFeatures}
     * describe it.
     */
    boolean verify(ByteBuffer src, int offset, int length, InetSocketAddress peer, int localPort, int remotePort,
            long now) {
        if (length != LENGTH) {
            return false;
        }
        rotate(now);
        src.get(offset, body, 0, LENGTH);
        int key = body[0];
        if ((key != 0 && key != 1) || !live[key]) {
            return false;
        }
        mac(macs[key], body, peer, localPort, remotePort);
        if (!MessageDigest.isEqual(sub(expected), sub(body, BODY_LENGTH))) {
            return false;
        }
        long issued = get(body, 1 + 6 + 6 + 4, 8);
        if (now - issued < 0 || now - issued > lifetime) {
            return false;
        }
        iss = get(body, 1, 6);
        isr = get(body, 7, 6);
        serviceCode = (int) get(body, 13, 4);
        return true;
    }

    private static byte[] sub(byte[] a) {
        return java.util.Arrays.copyOf(a, MAC_LENGTH);
    }

    private static byte[] sub(byte[] a, int from) {
        return java.util.Arrays.copyOfRange(a, from, from + MAC_LENGTH);
    }

    /** Restores the feature state of the last verified cookie; false if it holds an invalid value. */
    boolean restoreFeatures(FeatureNegotiation features) {
        return features.unpack(body, 1 + 6 + 6 + 4 + 8);
    }

    long iss() {
        return iss;
    }

    long isr() {
        return isr;
    }

    int serviceCode() {
        return serviceCode;
    }

    private void mac(Mac mac, byte[] cookie, InetSocketAddress peer, int localPort, int remotePort) {
        mac.update(cookie, 0, BODY_LENGTH);
        mac.update(peer.getAddress().getAddress());
        put(portBytes, 0, localPort, 2);
        put(portBytes, 2, remotePort, 2);
        put(portBytes, 4, peer.getPort(), 2);
        mac.update(portBytes);
        try {
            mac.doFinal(expected, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC output does not fit", e);
        }
    }

    private static int put(byte[] dst, int at, long v, int n) {
        return FeatureNegotiation.putN(dst, at, v, n);
    }

    private static long get(byte[] src, int at, int n) {
        return FeatureNegotiation.getN(src, at, n);
    }
}
