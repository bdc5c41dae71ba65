package io.qsockets.impl.dccp.ccid2;

import io.qsockets.impl.dccp.ackvec.AckVectorRecorder.Outcome;
import io.qsockets.impl.dccp.ackvec.Seq48;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A discrete-event simulation on simulated time: CCID 2 flows (sender and receiver each) share
 * one bottleneck of {@code rate} packets per second with a FIFO, tail-drop queue of
 * {@code queueLimit} packets, then a fixed propagation delay; acknowledgements come back over an
 * uncongested path with a fixed delay. Data packets piggyback the sender's acknowledgement of
 * the latest acknowledgement it received (acks of acks); Ack Ratio changes reach the receiver one
 * forward delay later. Every sender always has data to send. Optionally, acknowledgements are
 * lost on the way back with a fixed probability (seeded).
 */
final class DumbbellSimulation {

    private record Event(long time, long order, Runnable action) {
    }

    private final PriorityQueue<Event> events =
            new PriorityQueue<>(Comparator.comparingLong(Event::time).thenComparingLong(Event::order));
    private long order;
    private long now;

    private final long serviceNanos;
    private final int queueLimit;
    private final long forwardDelayNanos;
    private final long reverseDelayNanos;
    private int queued;
    private long lastDeparture = Long.MIN_VALUE;
    private long queueDrops;
    private long measureFrom;
    private long measureUntil = Long.MAX_VALUE;
    private final Random random = new Random(1);
    private double ackLossProbability;
    final List<Flow> flows = new ArrayList<>();

    DumbbellSimulation(long packetsPerSecond, int queueLimit, long forwardDelayNanos, long reverseDelayNanos) {
        this.serviceNanos = 1_000_000_000L / packetsPerSecond;
        this.queueLimit = queueLimit;
        this.forwardDelayNanos = forwardDelayNanos;
        this.reverseDelayNanos = reverseDelayNanos;
    }

    Flow addFlow(Ccid2Config config, long startNanos, long firstSeqno) {
        Flow flow = new Flow(config, firstSeqno);
        flows.add(flow);
        at(startNanos, flow::pump);
        return flow;
    }

    /** Loses each acknowledgement on the way back with probability {@code p}. */
    void loseAcks(double p) {
        ackLossProbability = p;
    }

    /** Counts deliveries made in {@code [from, until)} only. */
    void measure(long from, long until) {
        measureFrom = from;
        measureUntil = until;
    }

    void runUntil(long endNanos) {
        while (!events.isEmpty() && events.peek().time() <= endNanos) {
            Event e = events.poll();
            now = e.time();
            e.action().run();
        }
        now = endNanos;
    }

    long queueDrops() {
        return queueDrops;
    }

    private void at(long time, Runnable action) {
        events.add(new Event(time, order++, action));
    }

    private boolean measuring() {
        return now >= measureFrom && now < measureUntil;
    }

    /** One CCID 2 half-connection: a sender, its receiver, and the packets between them. */
    final class Flow implements Ccid2Listener {
        final Ccid2Sender sender;
        final Ccid2Receiver receiver;
        private final ByteBuffer ackCells = ByteBuffer.allocate(4 * 253);
        private long nextDataSeq;
        private long nextAckSeq = 1_000_000;
        /** The greatest receiver sequence number the sender has seen, or -1. */
        private long latestAckSeen = -1;
        private long scheduledRto = Long.MIN_VALUE;
        private long scheduledAckTimer = Long.MIN_VALUE;
        long delivered;
        long acksDelivered;
        long maxPipe;

        Flow(Ccid2Config config, long firstSeqno) {
            this.sender = new Ccid2Sender(config, this);
            this.receiver = new Ccid2Receiver(config);
            this.nextDataSeq = firstSeqno;
        }

        void pump() {
            while (sender.canSend()) {
                sendData();
            }
            maxPipe = Math.max(maxPipe, sender.pipe());
            scheduleRto();
        }

        private void sendData() {
            long seq = nextDataSeq;
            nextDataSeq = Seq48.add(nextDataSeq, 1);
            sender.onSent(seq, now, true);
            long carriedAck = latestAckSeen;
            if (carriedAck >= 0) {
                sender.onAckOfAckSent();
            }
            if (queued >= queueLimit) {
                queueDrops++;
                return;
            }
            queued++;
            long departure = Math.max(now, lastDeparture) + serviceNanos;
            lastDeparture = departure;
            at(departure, () -> {
                queued--;
                at(now + forwardDelayNanos, () -> arriveAtReceiver(seq, carriedAck));
            });
        }

        private void arriveAtReceiver(long seq, long carriedAck) {
            if (carriedAck >= 0) {
                receiver.onAckOfAck(carriedAck);
            }
            Outcome outcome = receiver.onPacketReceived(seq, true, false, now);
            if (outcome != Outcome.DUPLICATE && outcome != Outcome.TOO_OLD && measuring()) {
                delivered++;
            }
            maybeAck();
        }

        private void maybeAck() {
            if (receiver.ackDue(now)) {
                sendAck();
            } else if (receiver.hasPendingAck() && receiver.ackDeadlineNanos() != scheduledAckTimer) {
                long deadline = receiver.ackDeadlineNanos();
                scheduledAckTimer = deadline;
                at(deadline, this::maybeAck);
            }
        }

        private void sendAck() {
            long ackSeq = nextAckSeq++;
            long ackno = receiver.ackno();
            int n = receiver.writeAckVector(ackCells, 0, ackCells.capacity());
            byte[] cells = Arrays.copyOf(ackCells.array(), n);
            receiver.onAckSent(ackSeq);
            if (random.nextDouble() >= ackLossProbability) {
                at(now + reverseDelayNanos, () -> arriveAtSender(ackSeq, ackno, cells));
            }
        }

        private void arriveAtSender(long ackSeq, long ackno, byte[] cells) {
            acksDelivered++;
            sender.onPeerPacket(ackSeq, true, false);
            latestAckSeen = Math.max(latestAckSeen, ackSeq);
            sender.onAck(ackno, ByteBuffer.wrap(cells), 0, cells.length, now);
            pump();
        }

        private void scheduleRto() {
            if (sender.isRtoArmed() && sender.rtoDeadlineNanos() != scheduledRto) {
                scheduledRto = sender.rtoDeadlineNanos();
                at(scheduledRto, () -> {
                    if (sender.onRtoExpired(now)) {
                        pump();
                    } else {
                        scheduleRto();
                    }
                });
            }
        }

        @Override
        public void onAcked(long seqno) {
        }

        @Override
        public void onLost(long seqno) {
        }

        @Override
        public void onAckRatioChange(int ackRatio) {
            at(now + forwardDelayNanos, () -> receiver.setAckRatio(ackRatio));
        }
    }
}
