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
}
