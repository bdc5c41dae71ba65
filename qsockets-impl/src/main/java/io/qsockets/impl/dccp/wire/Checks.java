package io.qsockets.impl.dccp.wire;

import java.nio.ByteBuffer;
import java.util.Objects;

/** Argument checks of the write side, with messages that name the value and the allowed range. */
final class Checks {

    private Checks() {
    }

    static void range(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be in [" + min + ", " + max + "], was " + value);
        }
    }

    /** As {@link #range(String, long, long, long)} for the value named {@code owner + " " + what}, built only on failure. */
    static void range(Object owner, String what, long value, long min, long max) {
        if (value < min || value > max) {
            range(owner + " " + what, value, min, max);
        }
    }

    /** Checks that [{@code offset}, {@code offset + length}) lies inside the buffer's limit. */
    static void readableRange(ByteBuffer buffer, int offset, int length) {
        Objects.requireNonNull(buffer, "buffer");
        if (offset < 0 || length < 0 || offset > buffer.limit() - length) {
            throw new IllegalArgumentException("range [" + offset + ", " + offset + " + " + length
                    + ") must lie inside the buffer's limit " + buffer.limit());
        }
    }

    /** Checks that the buffer is writable and [{@code offset}, {@code offset + capacity}) lies inside its capacity. */
    static void writableRange(ByteBuffer buffer, int offset, int capacity) {
        Objects.requireNonNull(buffer, "buffer");
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("buffer must be writable");
        }
        if (offset < 0 || capacity < 0 || offset > buffer.capacity() - capacity) {
            throw new IllegalArgumentException("range [" + offset + ", " + offset + " + " + capacity
                    + ") must lie inside the buffer's capacity " + buffer.capacity());
        }
    }
}
