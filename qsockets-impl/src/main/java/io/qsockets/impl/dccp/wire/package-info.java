/**
 * The DCCP wire format (RFC 4340 §5, §6, §7, §9.3, §11, §13) encapsulated over UDP (RFC 6773):
 * allocation-free flyweights over {@link java.nio.ByteBuffer} for the engine thread.
 *
 * <p>Reading never trusts a length and never throws on malformed input: {@link
 * io.qsockets.impl.dccp.wire.DccpHeader#validate()} returns a {@link
 * io.qsockets.impl.dccp.wire.ParseResult}, {@link io.qsockets.impl.dccp.wire.OptionCursor#next()}
 * an {@link io.qsockets.impl.dccp.wire.OptionStatus}, and typed option accessors return {@code -1}
 * for an option that does not fit its rules. Writing ({@link
 * io.qsockets.impl.dccp.wire.DccpHeaderWriter}, {@link io.qsockets.impl.dccp.wire.OptionsWriter})
 * throws only for programmer errors (a value out of range, a field or option the packet type does
 * not allow, a buffer too small), with a message naming the value and what is allowed.
 *
 * <p>Instances are not thread-safe: each thread (normally the engine thread) keeps its own.
 */
package io.qsockets.impl.dccp.wire;
