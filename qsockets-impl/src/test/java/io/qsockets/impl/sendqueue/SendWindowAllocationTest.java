package io.qsockets.impl.sendqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qsockets.SegmentState;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The window in steady state (submissions, retransmissions, acknowledgements of current and older
 * revisions, cancellations, expiries, evictions) allocates nothing: segments come from a pool and
 * the loop keeps its state in preallocated arrays.
 */
@Timeout(20)
class SendWindowAllocationTest {
    private static final long MS = 1_000_000L;
    private static final int POOL = 4096;
    private static final int RING = 8192;

    /** A reusable record without per-transmission bookkeeping. */
    private static final class Pooled implements SegmentRecord {
        long id;
        long submitted;
        long deadline;
        int priority;
        int revision;
        SegmentState state = SegmentState.ACKED;

        void reuse(long newId, long now, long newDeadline, int newPriority) {
            id = newId;
            submitted = now;
            deadline = newDeadline;
            priority = newPriority;
            revision = 0;
            state = SegmentState.QUEUED;
        }

        @Override public long id() { return id; }
        @Override public long submittedNanos() { return submitted; }
        @Override public long deadlineNanos() { return deadline; }
        @Override public long graceNanos() { return NO_GRACE; }
        @Override public int priority() { return priority; }
        @Override public int maxAttempts() { return UNLIMITED_ATTEMPTS; }
        @Override public boolean reliable() { return false; }
        @Override public int revision() { return revision; }
        @Override public SegmentState state() { return state; }

        @Override
        public int bindContent(ByteBuffer out) {
            if (state.isTerminal()) {
                return NOT_BOUND;
            }
            out.putLong(id);
            return revision;
        }

        @Override
        public void transmitted(int rev, long nowNanos) {
            state = SegmentState.SENT_UNACKED;
        }

        @Override
        public boolean acknowledge(int rev) {
            if (state.isTerminal() || rev != revision) {
                return false;
            }
            state = SegmentState.ACKED;
            return true;
        }

        @Override
        public boolean settle(SegmentState finalState) {
            if (state.isTerminal()) {
                return false;
            }
            state = finalState;
            return true;
        }
    }

    private final SendWindow window = new SendWindow(SendWindowConfig.builder().capacity(512).sequenceRing(1024).build());
    private final Pooled[] pool = new Pooled[POOL];
    private final long[] outSeq = new long[RING];
    private final long[] outAt = new long[RING];
    private final ByteBuffer payload = ByteBuffer.allocate(64);
    private int outHead;
    private int outTail;
    private long nextId;
    private long nextSeq;
    private long now;

    SendWindowAllocationTest() {
        for (int i = 0; i < POOL; i++) {
            pool[i] = new Pooled();
        }
        window.smoothedRtt(40 * MS);
    }

    private void run(int steps) {
        for (int step = 0; step < steps; step++) {
            now += MS;
            // a record comes back after POOL steps (4 s), long after every deadline (at most 150 ms):
            // by then the window has released it, even when it was cancelled behind the window's back
            Pooled s = pool[(int) (nextId % POOL)];
            if (s.state.isTerminal()) { // otherwise the pool is exhausted this step
                s.reuse(nextId, now, now + (nextId % 50 == 0 ? 20 : 150) * MS, (int) (nextId % 3));
                nextId++;
                window.submit(s, now);
            }
            if (step % 97 == 0) {
                pool[(int) ((nextId + POOL - 5) % POOL)].revision++; // an update
            }
            if (step % 89 == 0) {
                pool[(int) ((nextId + POOL - 7) % POOL)].settle(SegmentState.CANCELLED);
            }
            for (int k = 0; k < 2; k++) {
                SegmentRecord r = window.poll(now);
                if (r == null) {
                    break;
                }
                payload.clear();
                int rev = r.bindContent(payload);
                if (rev == SegmentRecord.NOT_BOUND) {
                    window.unsent();
                    continue;
                }
                window.sent(nextSeq, rev, now);
                outSeq[outHead & (RING - 1)] = nextSeq++;
                outAt[outHead++ & (RING - 1)] = now + 40 * MS;
            }
            while (outTail != outHead && outAt[outTail & (RING - 1)] <= now) {
                long seq = outSeq[outTail++ & (RING - 1)];
                if (seq % 20 == 7) {
                    window.onLost(seq, now);
                } else {
                    window.onAcked(seq, now);
                }
            }
            window.expire(now);
        }
    }

    @Test
    void steadyStateAllocatesNothing() throws ReflectiveOperationException {
        // by reflection: the test is compiled into the io.qsockets.impl module, which does not read java.management
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> extended;
        try {
            extended = Class.forName("com.sun.management.ThreadMXBean");
        } catch (ClassNotFoundException e) {
            extended = null;
        }
        assumeTrue(extended != null && extended.isInstance(bean), "no per-thread allocation counter on this JVM");
        Method allocatedBytes = extended.getMethod("getThreadAllocatedBytes", long.class);
        long thread = Thread.currentThread().getId();

        run(20_000);
        long sentBefore = window.firstTransmissions() + window.retransmissions();
        long before = (Long) allocatedBytes.invoke(bean, thread);
        run(100_000);
        long allocated = (Long) allocatedBytes.invoke(bean, thread) - before;
        long sent = window.firstTransmissions() + window.retransmissions() - sentBefore;

        System.out.printf("%d transmissions, %d retransmissions, %d acked, %d expired, %d cancelled, %d older-revision"
                + " acks: %d bytes allocated%n", sent, window.retransmissions(), window.acked(),
                window.expiredByDeadline(), window.cancelled(), window.olderRevisionAcks(), allocated);
        assertThat(window.retransmissions()).isPositive();
        assertThat(window.expiredByDeadline()).isPositive();
        assertThat(window.cancelled()).isPositive();
        assertThat(window.olderRevisionAcks()).isPositive();
        assertThat(allocated).as("bytes allocated for %d transmissions", sent).isLessThan(4096);
    }
}
