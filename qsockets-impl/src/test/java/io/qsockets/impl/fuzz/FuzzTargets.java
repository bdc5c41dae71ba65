package io.qsockets.impl.fuzz;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Settings shared by the fuzz targets. In regression mode (the default) a target runs on the
 * inputs in {@code src/test/resources/io/qsockets/impl/fuzz/<Class>Inputs/<method>/}; with
 * {@code JAZZER_FUZZ=1} Jazzer fuzzes one target for {@link #MAX_DURATION} (the build's
 * {@code fuzz.seconds} property overrides it) and writes any crashing input to that directory.
 */
final class FuzzTargets {

    /** How long one target is fuzzed unless the build says otherwise. */
    static final String MAX_DURATION = "60s";
    /** Per input in fuzzing mode, per invocation in regression mode. */
    static final long TIMEOUT_SECONDS = 30;

    private FuzzTargets() {
    }

    /**
     * @return a heap buffer holding {@code packet} at index {@code at}, with {@code at} bytes of
     *     {@code guard} before it and {@code after} after it, all readable
     */
    static ByteBuffer placed(byte[] packet, int at, int after, byte guard) {
        byte[] bytes = new byte[at + packet.length + after];
        Arrays.fill(bytes, guard);
        System.arraycopy(packet, 0, bytes, at, packet.length);
        return ByteBuffer.wrap(bytes);
    }
}
