package io.qsockets.examples.stream;

/**
 * One sensor reading: when it is taken, its size and how long it stays useful.
 *
 * @param seq the reading's number, from 0
 * @param offsetNanos when it is taken, from the start of the stream
 * @param size the datagram size in bytes
 * @param deadlineNanos how long after it is taken the reading is useful, positive
 */
public record Reading(long seq, long offsetNanos, int size, long deadlineNanos) implements Timed {

    /** Validates the reading. */
    public Reading {
        if (seq < 0 || offsetNanos < 0 || size < 1 || deadlineNanos <= 0) {
            throw new IllegalArgumentException("reading " + seq + " (offset " + offsetNanos + " ns, size " + size
                    + " B, deadline " + deadlineNanos + " ns) needs seq, offset >= 0, size >= 1, deadline > 0");
        }
    }
}
