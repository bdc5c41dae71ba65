package io.qsockets.impl.dccp.wire;

/** How the two endpoints' Change options for a feature are reconciled (RFC 4340 §6.3). */
public enum ReconciliationRule {
    /**
     * Server-priority (§6.3.1): Change carries a preference list of fixed-length values, Confirm
     * the selected value followed by the confirmer's preference list; the result is the first
     * entry of the server's list that the client's list also holds.
     */
    SERVER_PRIORITY,
    /**
     * Non-negotiable (§6.3.2): the feature location sends Change L with exactly one value and the
     * remote answers Confirm R with that value; Change R and Confirm L are never sent.
     */
    NON_NEGOTIABLE
}
