package io.qsockets.examples.stream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A recorded video stream: the arrival time, coded size and type of each frame, read from a CSV
 * file ({@code time_ms,size_bytes,type}; lines starting with {@code #} are comments; arrival
 * times strictly ascending, as the stream emulator requires). Immutable.
 *
 * <p>{@link #builtIn()} is a real H.264 encode shipped with the examples (see
 * {@code examples/traces/make-h264-trace.sh}).
 */
public final class FrameTrace {
    /** The resource name of the shipped trace. */
    public static final String BUILT_IN = "/traces/h264-testsrc2-20fps.csv";

    private final String name;
    private final List<Frame> frames;

    private FrameTrace(String name, List<Frame> frames) {
        this.name = name;
        this.frames = List.copyOf(frames);
    }

    /** @return the shipped H.264 trace (600 frames at 20 fps) */
    public static FrameTrace builtIn() {
        try (InputStream in = FrameTrace.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("the built-in trace " + BUILT_IN + " is missing from the class path");
            }
            return parse(BUILT_IN, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param file a CSV trace
     * @return the trace
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if a line is malformed (the message names the line)
     */
    public static FrameTrace load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(file.toString(), in);
        }
    }

    /**
     * @param name what to call the trace in messages
     * @param in the CSV text
     * @return the trace
     * @throws IOException if reading fails
     * @throws IllegalArgumentException if a line is malformed or times do not ascend
     */
    public static FrameTrace parse(String name, InputStream in) throws IOException {
        List<Frame> frames = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int lineNo = 0;
        long previous = -1;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("time_ms")) {
                continue;
            }
            String[] f = t.split(",");
            if (f.length != 3) {
                throw new IllegalArgumentException(name + ":" + lineNo + ": '" + t
                        + "' must have 3 fields: time_ms,size_bytes,type");
            }
            long offset;
            int size;
            try {
                offset = Math.round(Double.parseDouble(f[0]) * 1e6);
                size = Integer.parseInt(f[1].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ":" + lineNo + ": '" + t + "' has a bad number", e);
            }
            if (offset <= previous) {
                throw new IllegalArgumentException(name + ":" + lineNo + ": time " + f[0]
                        + " ms must be after the previous frame's");
            }
            previous = offset;
            try {
                frames.add(new Frame(frames.size(), offset, size, FrameType.parse(f[2])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        if (frames.isEmpty()) {
            throw new IllegalArgumentException(name + " holds no frame");
        }
        return new FrameTrace(name, frames);
    }

    /** @return where the trace came from */
    public String name() {
        return name;
    }

    /** @return the frames in arrival order */
    public List<Frame> frames() {
        return frames;
    }

    /** @return the mean bit rate over the trace's duration, at its own frame times */
    public double meanBitsPerSecond(double fps) {
        long bytes = frames.stream().mapToLong(Frame::size).sum();
        return bytes * 8.0 * fps / frames.size();
    }

    /**
     * Plays the trace's sizes and types over and over at a fixed frame rate (the recorded times
     * give the order; {@code fps} gives the spacing, so one trace serves 15 and 20 fps streams).
     *
     * @param fps frames per second, positive
     * @return an endless source of frames, numbered from 0
     */
    public Iterator<Frame> loop(double fps) {
        if (!(fps > 0) || fps > 10_000) {
            throw new IllegalArgumentException("frame rate " + fps + " fps must be between 0 (exclusive) and 10000");
        }
        double periodNanos = 1e9 / fps;
        return new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Frame next() {
                if (next == Long.MAX_VALUE) {
                    throw new NoSuchElementException();
                }
                Frame f = frames.get((int) (next % frames.size()));
                Frame out = new Frame(next, Math.round(next * periodNanos), f.size(), f.type());
                next++;
                return out;
            }
        };
    }
}
