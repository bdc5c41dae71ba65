package io.qsockets.examples.video;

import io.qsockets.PacketFlags;
import io.qsockets.QSocket;
import io.qsockets.Segment;
import io.qsockets.SegmentState;
import io.qsockets.examples.control.TransmissionController;
import io.qsockets.examples.stream.Frame;
import io.qsockets.examples.stream.FrameType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The video server's send side: cuts each frame into datagrams and sends them. With QoS every
 * datagram carries its frame's marks (the scheduler sends or drops a frame whole) and I-frames
 * are non-droppable; without, they are just sent. Not thread-safe:
 * one stream emulator thread calls {@link #send(Frame)}.
 */
public final class FrameSender {
    private final DatagramSocket socket;
    private final QSocket qsocket;
    private final DatagramPacket packet;
    private final byte[] buf;
    private final int payload;
    private final TransmissionController controller;
    private final boolean qos;
    private final Duration playout;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param socket the socket; a {@link QSocket}'s refusals (full queue) are counted
     * @param to where the datagrams go
     * @param payload frame bytes per datagram, 1 to 65 000
     * @param qos whether to mark frames and make I-frames non-droppable (needs a {@link QSocket})
     * @param playout with QoS, how long after its send a frame is still useful to the client (its
     *     deadline: the client's playout buffer), or null for the end of its DWCS period
     * @param controller the transmission controller the segments are handed to, or null
     */
    public FrameSender(DatagramSocket socket, SocketAddress to, int payload, boolean qos, Duration playout,
            TransmissionController controller) {
        if (payload < 1 || payload > 65_000) {
            throw new IllegalArgumentException("payload " + payload + " B per datagram must be between 1 and 65000");
        }
        this.socket = Objects.requireNonNull(socket, "socket must not be null");
        this.qsocket = socket instanceof QSocket q ? q : null;
        this.payload = payload;
        this.buf = new byte[VideoWire.HEADER + payload];
        this.packet = new DatagramPacket(buf, buf.length, Objects.requireNonNull(to, "destination must not be null"));
        this.controller = controller;
        this.qos = qos;
        this.playout = playout;
        if (qos && qsocket == null) {
            throw new IllegalArgumentException("frame marks need a QSocket, not a " + socket.getClass().getName());
        }
    }

    /** Sends one frame. */
    public void send(Frame frame) {
        int count = VideoWire.packetsFor(frame.size(), payload);
        int left = frame.size();
        try {
            for (int i = 0; i < count; i++) {
                int chunk = Math.min(payload, left);
                left -= chunk;
                VideoWire.write(buf, frame.index(), frame.type(), i, count);
                packet.setData(buf, 0, VideoWire.HEADER + chunk);
                if (qsocket != null) {
                    Segment s = qsocket.send(packet, qos ? flags(frame, i, count) : PacketFlags.NONE);
                    if (s.state() == SegmentState.DROPPED) {
                        refused.incrementAndGet();
                    } else if (controller != null) {
                        controller.track(s, frame.type());
                    }
                } else {
                    socket.send(packet);
                }
                datagrams.incrementAndGet();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("sending frame " + frame.index() + " failed: " + e.getMessage(), e);
        }
        if (controller != null) {
            controller.poll();
        }
        frames.incrementAndGet();
    }

    private PacketFlags flags(Frame frame, int index, int count) {
        return PacketFlags.builder().frame(frame.index(), index == 0, index == count - 1).deadline(playout)
                .nonDroppable(frame.type() == FrameType.I).build();
    }

    /** @return frames sent */
    public long frames() {
        return frames.get();
    }

    /** @return datagrams handed to the socket */
    public long datagrams() {
        return datagrams.get();
    }

    /** @return datagrams a full send queue refused (a non-blocking socket's drops) */
    public long refused() {
        return refused.get();
    }
}
