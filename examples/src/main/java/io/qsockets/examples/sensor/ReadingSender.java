package io.qsockets.examples.sensor;

import io.qsockets.PacketFlags;
import io.qsockets.QSocket;
import io.qsockets.Segment;
import io.qsockets.SegmentState;
import io.qsockets.examples.control.TransmissionController;
import io.qsockets.examples.stream.Reading;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sensor's send side. In the EDF modes each reading goes out with a per-packet deadline: its
 * own deadline less a guard for the path (the time the datagram still needs once it leaves), so
 * the scheduler's "late" means "would arrive late". A reading whose deadline is already within the
 * guard is not sent. With a transmission controller, a reading whose channel still has one
 * waiting replaces that one's content (the newest value wins) instead of queueing behind it. Not
 * thread-safe: one stream emulator thread calls {@link #send}.
 */
public final class ReadingSender {
    private final DatagramSocket socket;
    private final QSocket qsocket;
    private final boolean deadlines;
    private final long guardNanos;
    private final int channels;
    private final TransmissionController controller;
    private final byte[] buf = new byte[65_507];
    private final DatagramPacket packet;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong tooLate = new AtomicLong();

    /**
     * @param socket a {@link QSocket} in the EDF modes; any socket for {@link SensorMode#PLAIN}
     * @param to where the readings go
     * @param mode how to send
     * @param guard the path's share of each deadline, zero or more
     * @param channels the sensor's channels (reading {@code n} is channel {@code n % channels}), at least 1
     * @param controller updates waiting readings in place, or null
     */
    public ReadingSender(DatagramSocket socket, SocketAddress to, SensorMode mode, Duration guard, int channels,
            TransmissionController controller) {
        this.socket = Objects.requireNonNull(socket, "socket must not be null");
        this.qsocket = socket instanceof QSocket q ? q : null;
        this.deadlines = mode != SensorMode.PLAIN;
        if (deadlines && qsocket == null) {
            throw new IllegalArgumentException(mode.label() + " needs a QSocket, not a " + socket.getClass().getName());
        }
        if (guard == null || guard.isNegative()) {
            throw new IllegalArgumentException("guard " + guard + " must be zero or more");
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels " + channels + " must be >= 1");
        }
        this.guardNanos = guard.toNanos();
        this.channels = channels;
        this.controller = controller;
        this.packet = new DatagramPacket(buf, 0, Objects.requireNonNull(to, "destination must not be null"));
    }

    /**
     * Sends one reading taken at {@code takenMicros} (wall clock, µs since the epoch).
     *
     * @return whether the reading was handed to the socket (or carried by a waiting one)
     */
    public boolean send(Reading r, long takenMicros) {
        int size = Math.max(ReadingWire.HEADER, Math.min(r.size(), buf.length));
        int channel = (int) (r.seq() % channels);
        ReadingWire.write(buf, r.seq(), channel, takenMicros, takenMicros + r.deadlineNanos() / 1000);
        packet.setData(buf, 0, size);
        try {
            if (!deadlines) {
                if (qsocket != null) {
                    count(qsocket.send(packet, PacketFlags.NONE));
                } else {
                    socket.send(packet);
                    sent.incrementAndGet();
                }
                return true;
            }
            long budget = r.deadlineNanos() - guardNanos;
            if (budget <= 0) {
                tooLate.incrementAndGet();
                return false;
            }
            if (controller != null) {
                controller.poll();
                byte[] content = java.util.Arrays.copyOf(buf, size);
                if (controller.updateInPlace(channel, content)) {
                    sent.incrementAndGet();
                    return true;
                }
            }
            Segment s = qsocket.send(packet, PacketFlags.builder().deadline(Duration.ofNanos(budget)).build());
            if (controller != null) {
                controller.remember(channel, s);
            }
            return count(s);
        } catch (IOException e) {
            throw new UncheckedIOException("sending reading " + r.seq() + " failed: " + e.getMessage(), e);
        }
    }

    private boolean count(Segment s) {
        if (s.state() == SegmentState.DROPPED) {
            refused.incrementAndGet();
            return false;
        }
        sent.incrementAndGet();
        return true;
    }

    /** @return readings handed to the socket */
    public long sent() {
        return sent.get();
    }

    /** @return readings a full send queue refused */
    public long refused() {
        return refused.get();
    }

    /** @return readings not sent because their deadline was within the guard */
    public long tooLate() {
        return tooLate.get();
    }
}
