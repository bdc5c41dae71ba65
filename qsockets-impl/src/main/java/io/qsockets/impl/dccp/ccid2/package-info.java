/**
 * CCID 2, TCP-like congestion control for DCCP (RFC 4341): the sender's window, loss detection
 * from Ack Vectors, transmit timeout and Ack Ratio ({@link io.qsockets.impl.dccp.ccid2.Ccid2Sender},
 * reporting to a {@link io.qsockets.impl.dccp.ccid2.Ccid2Listener}), and the receiver's
 * acknowledgement policy ({@link io.qsockets.impl.dccp.ccid2.Ccid2Receiver}), both configured by
 * {@link io.qsockets.impl.dccp.ccid2.Ccid2Config}. Single-threaded (engine thread), allocation-free
 * per packet, and driven by times passed in: no clock is read here.
 */
package io.qsockets.impl.dccp.ccid2;
