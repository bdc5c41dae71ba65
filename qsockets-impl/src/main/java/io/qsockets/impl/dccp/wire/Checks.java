package io.qsockets.impl.dccp.wire;

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
}
