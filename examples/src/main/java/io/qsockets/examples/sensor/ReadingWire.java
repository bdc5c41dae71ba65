package io.qsockets.examples.sensor;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The sensor datagram: magic {@code QSEN} (4 bytes), reading number (8), channel (4), time taken
 * and deadline in microseconds since the epoch (8 each), then padding to the reading's size.
 * Big-endian. Sensor and collector compare wall-clock times, so across hosts their clocks must be
 * synchronised (on one host they are the same clock).
 */
public final class ReadingWire {
    /** The header length in bytes; the smallest reading. */
    public static final int HEADER = 32;
    /** Marks a qsockets sensor datagram. */
    public static final int MAGIC = 0x5153454E;

    private long seq;
    private int channel;
    private long takenMicros;
    private long deadlineMicros;

    /** @return the wall clock in microseconds since the epoch */
    public static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    /** Writes a header at the start of {@code buf}. */
    public static void write(byte[] buf, long seq, int channel, long takenMicros, long deadlineMicros) {
        ByteBuffer.wrap(buf).putInt(MAGIC).putLong(seq).putInt(channel).putLong(takenMicros).putLong(deadlineMicros);
    }

    /** @return false if the datagram is not a sensor reading */
    public boolean read(byte[] buf, int offset, int length) {
        if (length < HEADER) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(buf, offset, length);
        if (b.getInt() != MAGIC) {
            return false;
        }
        seq = b.getLong();
        channel = b.getInt();
        takenMicros = b.getLong();
        deadlineMicros = b.getLong();
        return seq >= 0 && deadlineMicros >= takenMicros;
    }

    /** @return the reading number of the last datagram read */
    public long seq() {
        return seq;
    }

    /** @return its channel */
    public int channel() {
        return channel;
    }

    /** @return when it was taken, µs since the epoch */
    public long takenMicros() {
        return takenMicros;
    }

    /** @return when it stops being useful, µs since the epoch */
    public long deadlineMicros() {
        return deadlineMicros;
    }
}
