package io.qsockets.impl.dccp;

/** Why a received packet was dropped without effect (each has a counter in {@link ConnectionStats}). */
public enum DropReason {
    /** Sequence or Acknowledgement Number outside the validity windows (RFC 4340 §7.5, Step 6); a Sync answers it. */
    OUT_OF_WINDOW,
    /** A Sync or SyncAck outside the windows (Step 5): ignored without answer. */
    SYNC_OUT_OF_WINDOW,
    /** 24-bit sequence numbers while Allow Short Seqnos is 0 (Step 6). */
    SHORT_SEQNOS,
    /** A type not expected in the state or from this side (Steps 4 and 7). */
    UNEXPECTED_TYPE,
    /** Anything received in TIMEWAIT or after the connection was torn down (Step 2). */
    NO_CONNECTION,
    /** An option error that reset the connection (§5.8.2, §6.6.8, §6.6.9). */
    OPTION_ERROR,
    /** Application data whose Data Checksum did not match (§9.3) or whose coverage is below the minimum (§9.2.1). */
    DATA_CORRUPT,
    /** A packet already received (its data is not delivered twice). */
    DUPLICATE,
    /** An out-of-window packet whose Sync the rate limit suppressed (§7.5.4). */
    SYNC_RATE_LIMITED
}
