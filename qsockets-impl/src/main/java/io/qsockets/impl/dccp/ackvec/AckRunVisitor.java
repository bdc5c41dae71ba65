package io.qsockets.impl.dccp.ackvec;

/**
 * Receives the runs of an Ack Vector, newest first, from {@link AckVector#forEachRun}.
 *
 * <p>Implementations are usually a field of their owner (created once), so walking a vector
 * allocates nothing.
 */
@FunctionalInterface
public interface AckRunVisitor {

    /**
     * One run of packets that share a state.
     *
     * @param highSeqno the newest sequence number of the run; the run covers {@code highSeqno},
     *     {@code highSeqno - 1}, ... {@code highSeqno - length + 1} (modulo 2^48)
     * @param length how many packets, 1 to {@link AckVector#MAX_RUN}
     * @param state {@link AckVector#RECEIVED}, {@link AckVector#ECN_MARKED} or
     *     {@link AckVector#NOT_RECEIVED}
     * @return {@code true} to go on with older runs, {@code false} to stop the walk
     */
    boolean onRun(long highSeqno, int length, int state);
}
