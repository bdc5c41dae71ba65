package io.qsockets.impl.dccp.ccid2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qsockets.impl.dccp.ackvec.Seq48;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A sender and a receiver exchange packets in steady state (with losses, late acknowledgements,
 * Ack Ratio changes and acks of acks) without allocating: the loop below uses only
 * preallocated arrays, so whatever the thread allocates comes from the CCID 2 code. The JDK's
 * per-thread allocation counter is reached by reflection because the test is compiled into the
 * {@code io.qsockets.impl} module, which does not read {@code jdk.management}.
 */
@Timeout(10)
class Ccid2AllocationTest {

    private static final int RING = 4096;
    private static final long STEP = 1_000_000L;
    private static final long ONE_WAY = 20 * STEP;

    /** The loop's state; every array is allocated once. */
    private static final class Loop implements Ccid2Listener {
        final Ccid2Sender sender = new Ccid2Sender(Ccid2Config.defaults(), this);
        final Ccid2Receiver receiver = new Ccid2Receiver(Ccid2Config.defaults());
        final long[] dataSeq = new long[RING];
        final long[] dataAt = new long[RING];
        final long[] dataAck = new long[RING];
        int dataHead;
        int dataTail;
        final long[] ackSeq = new long[RING];
        final long[] ackNo = new long[RING];
        final long[] ackAt = new long[RING];
        final int[] ackLen = new int[RING];
        final ByteBuffer[] ackCells = new ByteBuffer[RING];
        int ackHead;
        int ackTail;
        long now;
        long nextSeq = Seq48.MASK - 100_000;
        long nextAckSeq;
        long latestAckSeen = -1;
        long acked;
        long lost;
        long ratioChanges;
        long packets;

        Loop() {
            for (int i = 0; i < RING; i++) {
                ackCells[i] = ByteBuffer.allocate(1024);
            }
        }

        void run(long steps) {
            for (long i = 0; i < steps; i++) {
                now += STEP;
                if (sender.isRtoArmed() && now - sender.rtoDeadlineNanos() >= 0) {
                    sender.onRtoExpired(now);
                }
                // at most 5 packets per millisecond: a 5000 packet/s bottleneck without a queue
                for (int k = 0; k < 5 && sender.canSend() && dataHead - dataTail < RING; k++) {
                    long seq = nextSeq;
                    nextSeq = Seq48.add(nextSeq, 1);
                    sender.onSent(seq, now, true);
                    if (latestAckSeen >= 0) {
                        sender.onAckOfAckSent();
                    }
                    int d = dataHead++ & (RING - 1);
                    dataSeq[d] = seq;
                    dataAt[d] = now + ONE_WAY;
                    dataAck[d] = latestAckSeen;
                    packets++;
                }
                while (dataTail != dataHead && dataAt[dataTail & (RING - 1)] <= now) {
                    int d = dataTail++ & (RING - 1);
                    if (dataAck[d] >= 0) {
                        receiver.onAckOfAck(dataAck[d]);
                    }
                    if (dataSeq[d] % 101 != 0) {
                        receiver.onPacketReceived(dataSeq[d], true, dataSeq[d] % 211 == 0, now);
                    }
                }
                if (receiver.ackDue(now) && ackHead - ackTail < RING) {
                    int a = ackHead++ & (RING - 1);
                    ackSeq[a] = nextAckSeq++;
                    ackNo[a] = receiver.ackno();
                    ackLen[a] = receiver.writeAckVector(ackCells[a], 0, 1024);
                    ackAt[a] = now + ONE_WAY;
                    receiver.onAckSent(ackSeq[a]);
                }
                while (ackTail != ackHead && ackAt[ackTail & (RING - 1)] <= now) {
                    int a = ackTail++ & (RING - 1);
                    if (ackSeq[a] % 61 == 0) {
                        continue; // a lost acknowledgement
                    }
                    sender.onPeerPacket(ackSeq[a], true, false);
                    latestAckSeen = Math.max(latestAckSeen, ackSeq[a]);
                    sender.onAck(ackNo[a], ackCells[a], 0, ackLen[a], now);
                }
            }
        }

        @Override
        public void onAcked(long seqno) {
            acked++;
        }

        @Override
        public void onLost(long seqno) {
            lost++;
        }

        @Override
        public void onAckRatioChange(int ackRatio) {
            ratioChanges++;
            receiver.setAckRatio(ackRatio);
        }
    }

    @Test
    void senderAndReceiverAllocateNothingInSteadyState() throws ReflectiveOperationException {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> extended;
        try {
            extended = Class.forName("com.sun.management.ThreadMXBean");
        } catch (ClassNotFoundException e) {
            extended = null;
        }
        assumeTrue(extended != null && extended.isInstance(bean), "no per-thread allocation counter on this JVM");
        assumeTrue((Boolean) extended.getMethod("isThreadAllocatedMemoryEnabled").invoke(bean),
                "per-thread allocation counting is off");
        Method allocatedBytes = extended.getMethod("getThreadAllocatedBytes", long.class);
        long thread = Thread.currentThread().getId();

        Loop loop = new Loop();
        loop.run(20_000);
        long packetsBefore = loop.packets;
        long before = (Long) allocatedBytes.invoke(bean, thread);
        loop.run(100_000);
        long allocated = (Long) allocatedBytes.invoke(bean, thread) - before;
        long packets = loop.packets - packetsBefore;

        System.out.printf("%d packets, %d acked, %d lost, %d Ack Ratio changes, %d timeouts: %d bytes allocated%n",
                packets, loop.acked, loop.lost, loop.ratioChanges, loop.sender.timeouts(), allocated);
        assertThat(packets).isGreaterThan(20_000);
        assertThat(loop.lost).isPositive();
        assertThat(loop.ratioChanges).isPositive();
        assertThat(allocated).as("bytes allocated for %d packets", packets).isLessThan(4096);
    }
}
