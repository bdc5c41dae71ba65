package io.qsockets.examples.stream;

/** Something a {@link StreamEmulator} plays at a time: its offset from the start of the stream. */
public interface Timed {

    /** @return nanoseconds from the start of the stream at which it arrives, never negative */
    long offsetNanos();
}
