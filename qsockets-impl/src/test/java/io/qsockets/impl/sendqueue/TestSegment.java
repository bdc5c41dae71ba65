package io.qsockets.impl.sendqueue;

import io.qsockets.SegmentState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A {@link SegmentRecord} as the engine's handle will be: state and content under its monitor. */
final class TestSegment implements SegmentRecord {
    final long id;
    final long submitted;
    final long grace;
    final int priority;
    final int maxAttempts;
    final boolean reliable;
    private long deadline;
    private byte[] content;
    private int revision;
    private SegmentState state = SegmentState.QUEUED;
    private long cancelledAt = -1;
    final List<Long> transmitTimes = new ArrayList<>();
    final List<Integer> transmittedRevisions = new ArrayList<>();

    TestSegment(long id, long submitted, long deadline, long grace, int priority, int maxAttempts,
            boolean reliable, byte[] content) {
        this.id = id;
        this.submitted = submitted;
        this.deadline = deadline;
        this.grace = grace;
        this.priority = priority;
        this.maxAttempts = maxAttempts;
        this.reliable = reliable;
        this.content = content;
    }

    static TestSegment withDeadline(long id, long now, long deadline) {
        return new TestSegment(id, now, deadline, NO_GRACE, 0, UNLIMITED_ATTEMPTS, false, new byte[] {(byte) id});
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public long submittedNanos() {
        return submitted;
    }

    @Override
    public synchronized long deadlineNanos() {
        return deadline;
    }

    @Override
    public long graceNanos() {
        return grace;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public int maxAttempts() {
        return maxAttempts;
    }

    @Override
    public boolean reliable() {
        return reliable;
    }

    @Override
    public synchronized int revision() {
        return revision;
    }

    @Override
    public synchronized SegmentState state() {
        return state;
    }

    synchronized byte[] content() {
        return content;
    }

    synchronized long cancelledAt() {
        return cancelledAt;
    }

    synchronized int attempts() {
        return transmitTimes.size();
    }

    /** Application: replaces the content; false once final. */
    synchronized boolean update(byte[] newContent) {
        if (state.isTerminal()) {
            return false;
        }
        content = newContent;
        revision++;
        return true;
    }

    /** Application: stops transmissions. */
    synchronized boolean cancel(long now) {
        if (state.isTerminal()) {
            return false;
        }
        state = SegmentState.CANCELLED;
        cancelledAt = now;
        return true;
    }

    /** Application: moves the deadline. */
    synchronized boolean relax(long newDeadline) {
        if (state.isTerminal()) {
            return false;
        }
        deadline = newDeadline;
        return true;
    }

    @Override
    public synchronized int bindContent(ByteBuffer out) {
        if (state.isTerminal()) {
            return NOT_BOUND;
        }
        out.put(content);
        return revision;
    }

    @Override
    public synchronized void transmitted(int rev, long nowNanos) {
        if (state.isTerminal()) {
            throw new AssertionError("segment " + id + " transmitted in final state " + state);
        }
        state = SegmentState.SENT_UNACKED;
        transmitTimes.add(nowNanos);
        transmittedRevisions.add(rev);
    }

    @Override
    public synchronized boolean acknowledge(int rev) {
        if (state.isTerminal() || rev != revision) {
            return false;
        }
        state = SegmentState.ACKED;
        return true;
    }

    @Override
    public synchronized boolean settle(SegmentState finalState) {
        if (state.isTerminal()) {
            return false;
        }
        state = finalState;
        return true;
    }
}
