package io.qsockets.examples.stream;

/**
 * One video frame of a stream: when it is ready to send, its coded size and its type.
 *
 * @param index the frame's number in the stream, from 0
 * @param offsetNanos when the frame is ready, from the start of the stream
 * @param size the coded size in bytes, at least 1
 * @param type I, P or B
 */
public record Frame(long index, long offsetNanos, int size, FrameType type) implements Timed {

    /** Validates the frame. */
    public Frame {
        if (index < 0 || offsetNanos < 0) {
            throw new IllegalArgumentException("frame index " + index + " and offset " + offsetNanos
                    + " ns must be >= 0");
        }
        if (size < 1) {
            throw new IllegalArgumentException("frame " + index + " size " + size + " B must be >= 1");
        }
        if (type == null) {
            throw new IllegalArgumentException("frame " + index + " has no type");
        }
    }
}
