/**
 * DCCP Ack Vectors (RFC 4340 §11.4 and Appendix A): the cell format and a no-allocation walker
 * ({@link io.qsockets.impl.dccp.ackvec.AckVector}), the receiver's bounded record of received
 * packets that writes vectors and forgets state on acks of acks
 * ({@link io.qsockets.impl.dccp.ackvec.AckVectorRecorder}), and 48-bit circular sequence
 * arithmetic ({@link io.qsockets.impl.dccp.ackvec.Seq48}). Everything here is single-threaded
 * (engine thread) and reads no clock.
 */
package io.qsockets.impl.dccp.ackvec;
