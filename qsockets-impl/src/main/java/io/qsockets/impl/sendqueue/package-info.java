/**
 * Selective retransmission for the DCCP transport, on the engine thread and on times passed in:
 * the {@link io.qsockets.impl.sendqueue.SendWindow} (segments taken from the send queue, late
 * binding, deadline-, priority- and reliability-based retransmission on dynamic sequence numbers),
 * the {@link io.qsockets.impl.sendqueue.PayloadHeader} flyweight that frames each segment inside a
 * DCCP data packet, and the receiver's {@link io.qsockets.impl.sendqueue.Deduplicator}. No clock is
 * read here and nothing is allocated per packet.
 */
package io.qsockets.impl.sendqueue;
