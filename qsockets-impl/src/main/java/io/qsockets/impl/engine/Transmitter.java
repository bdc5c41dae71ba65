package io.qsockets.impl.engine;

import io.qsockets.SegmentState;
import io.qsockets.impl.transport.ChannelPort;
import io.qsockets.impl.transport.DatagramPort;
import io.qsockets.impl.transport.MmsgBatch;
import io.qsockets.impl.transport.NativeDescriptor;
import io.qsockets.spi.PacketScheduler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 4 of the duty cycle: takes what the scheduler and the egress rate release, binds each
 * datagram's content at that moment, and hands it to its socket. Datagrams for a socket the engine
 * can send on natively are gathered into one {@link MmsgBatch} and leave in one system call; the
 * others leave one by one through their {@link DatagramPort}. A socket whose buffer is full keeps
 * its datagrams here, in order, until the next cycle. Engine thread only.
 */
final class Transmitter {
    private static final Logger LOG = LoggerFactory.getLogger(Transmitter.class);
    /** Most datagrams taken from the scheduler in one cycle. */
    static final int TRANSMIT_BATCH = MmsgBatch.SLOTS;
    private static final int RETIRED = Integer.MIN_VALUE;
    private static final int EAGAIN = 11;

    private final DutyCycleEngine engine;
    private final PacketScheduler scheduler;
    private final EgressShaper shaper;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(65_536);
    private final MmsgBatch batch = MmsgBatch.createIfSupported();
    private final OutboundPacket[] staged = new OutboundPacket[MmsgBatch.SLOTS];
    private final AtomicLong sendFailures = new AtomicLong();
    private ChannelPort stagedPort;
    private NativeDescriptor stagedDescriptor;
    private int flushFrom;
    private OutboundPacket pending;

    Transmitter(DutyCycleEngine engine, PacketScheduler scheduler, EgressShaper shaper) {
        this.engine = engine;
        this.scheduler = scheduler;
        this.shaper = shaper;
    }

    /** @return whether datagrams wait for room in their socket, so the next cycle must come at once */
    boolean hasPending() {
        return pending != null || batch != null && batch.size() > 0;
    }

    /** @return datagrams that failed in their socket (each counted dropped on its socket) */
    long sendFailures() {
        return sendFailures.get();
    }

    /** @return how many datagrams left the scheduler in this cycle */
    int transmit(long now) {
        if (!flush(now)) {
            return 0;
        }
        int taken = 0;
        while (taken < TRANSMIT_BATCH) {
            OutboundPacket p = pending;
            if (p == null) {
                if (shaper.nextFreeNanos() > now) {
                    break;
                }
                p = (OutboundPacket) scheduler.dequeue(now);
                if (p == null) {
                    break;
                }
                taken++;
                if (p.isStale(now)) { // a scheduler that does not drop stale datagrams itself
                    engine.discard(p, SegmentState.DROPPED);
                    continue;
                }
            }
            pending = null;
            if (!dispatch(p, now)) {
                pending = p;
                break;
            }
        }
        flush(now);
        return taken;
    }

    /** @return false if the socket would block and {@code p} must wait */
    private boolean dispatch(OutboundPacket p, long now) {
        DccpSession dccp = p.endpoint.dccp();
        if (dccp != null) {
            dccp.offer(p, now); // its packets join the batch through stageBuilt
            return true;
        }
        DatagramPort port = p.endpoint.port();
        NativeDescriptor descriptor = batch != null && port instanceof ChannelPort c ? c.descriptor() : null;
        if (descriptor == null) {
            return flush(now) && sendAlone(p, now);
        }
        if (batch.size() > 0 && stagedPort != port && !flush(now)) {
            return false;
        }
        ByteBuffer area = batch.payloadArea(p.length);
        if (area == null) {
            if (!flush(now)) {
                return false;
            }
            area = batch.payloadArea(p.length);
        }
        if (!bind(p, area)) {
            return true;
        }
        if (!batch.add(p.target, descriptor)) {
            return flush(now) && sendAlone(p, now); // the JDK reports the unreachable family
        }
        staged[batch.size() - 1] = p;
        stagedPort = (ChannelPort) port;
        stagedDescriptor = descriptor;
        shaper.consumed(now, p.length, DatagramPort.isIpv6(p.target));
        return !batch.isFull() || flush(now);
    }

    /**
     * Stages a datagram a transport built itself (a DCCP packet) to leave with the batch of
     * {@code port}, when the platform sends natively.
     *
     * @return false if it was not staged: the caller sends it itself
     */
    boolean stageBuilt(ChannelPort port, ByteBuffer bytes, InetSocketAddress target, long now) {
        NativeDescriptor descriptor = batch != null ? port.descriptor() : null;
        if (descriptor == null || !descriptor.canReach(target)) {
            return false;
        }
        if (batch.size() > 0 && stagedPort != port && !flush(now)) {
            return false;
        }
        ByteBuffer area = batch.payloadArea(bytes.remaining());
        if (area == null) {
            if (!flush(now)) {
                return false;
            }
            area = batch.payloadArea(bytes.remaining());
        }
        area.put(bytes);
        batch.add(target, descriptor);
        staged[batch.size() - 1] = null; // no queued datagram to settle
        stagedPort = port;
        stagedDescriptor = descriptor;
        if (batch.isFull()) {
            flush(now);
        }
        return true;
    }

    /** Binds the content now (late binding); a cancelled segment's datagram is let go instead. */
    private boolean bind(OutboundPacket p, ByteBuffer out) {
        SegmentImpl segment = p.segment;
        if (segment == null) {
            out.put(p.data, 0, p.length);
            return true;
        }
        if (segment.bindContent(p, out)) {
            return true;
        }
        engine.letGo(p); // cancelled while queued: the handle is settled already
        return false;
    }

    /** Sends what is staged now (a socket about to close); what the socket refuses stays staged. */
    void flushStaged(long now) {
        flush(now);
    }

    /** Sends the staged batch. @return true if nothing is left staged */
    private boolean flush(long now) {
        if (batch == null) {
            return true;
        }
        while (flushFrom < batch.size()) {
            int n;
            synchronized (stagedPort.transmitLock()) {
                n = stagedPort.isRetired() ? RETIRED : batch.send(stagedDescriptor.fd(), flushFrom);
            }
            if (n == -EAGAIN) {
                return false;
            }
            if (n <= 0) {
                if (staged[flushFrom] != null) {
                    failed(staged[flushFrom], n == RETIRED ? "socket closed" : "errno " + -n);
                } else {
                    sendFailures.incrementAndGet();
                }
                staged[flushFrom++] = null;
                continue;
            }
            for (int i = flushFrom; i < flushFrom + n; i++) {
                if (staged[i] != null) {
                    sent(staged[i], batch.length(i), now);
                    staged[i] = null;
                }
            }
            flushFrom += n;
        }
        batch.clear();
        flushFrom = 0;
        stagedPort = null;
        stagedDescriptor = null;
        return true;
    }

    /** @return false if the socket would block */
    private boolean sendAlone(OutboundPacket p, long now) {
        scratch.clear();
        if (!bind(p, scratch)) {
            return true;
        }
        scratch.flip();
        int length = scratch.remaining();
        try {
            if (!p.endpoint.port().send(scratch, p.target)) {
                return false;
            }
        } catch (IOException | RuntimeException e) {
            failed(p, e.toString());
            return true;
        }
        shaper.consumed(now, length, DatagramPort.isIpv6(p.target));
        sent(p, length, now);
        return true;
    }

    /**
     * A transmission of {@code p} left through a transport that keeps it until acknowledged
     * (DCCP): charges the egress rate; the first one counts the datagram sent.
     */
    void transmittedElsewhere(OutboundPacket p, int wireLength, boolean first, long now) {
        shaper.consumed(now, wireLength, DatagramPort.isIpv6(p.target));
        if (first) {
            countSent(p, p.length, now);
        }
    }

    private void sent(OutboundPacket p, int length, long now) {
        countSent(p, length, now);
        if (p.segment != null) {
            p.segment.transmitted(now);
        }
        engine.letGo(p);
    }

    /** Counts {@code p} sent in its socket's statistics: its queueing delay, and whether it was late. */
    private static void countSent(OutboundPacket p, int length, long now) {
        long deadline = p.segment != null ? p.segment.deadlineNanos() : p.deadlineNanos;
        p.endpoint.stats().sent(length, now - p.submittedNanos, now > deadline, now);
    }

    private void failed(OutboundPacket p, String why) {
        sendFailures.incrementAndGet();
        LOG.debug("datagram to {} failed: {}", p.target, why);
        engine.discard(p, SegmentState.DROPPED);
    }

    /** Engine closing: every datagram held here is dropped. */
    void discardAll() {
        if (pending != null) {
            engine.discard(pending, SegmentState.DROPPED);
            pending = null;
        }
        if (batch != null) {
            for (int i = flushFrom; i < batch.size(); i++) {
                if (staged[i] != null) {
                    engine.discard(staged[i], SegmentState.DROPPED);
                    staged[i] = null;
                }
            }
            batch.clear();
            flushFrom = 0;
        }
    }
}
