/**
 * DCCP connections (RFC 4340) over UDP (RFC 6773): {@link io.qsockets.impl.dccp.DccpConnection}
 * (state machine, validity windows, Sync, feature negotiation, acknowledgements),
 * {@link io.qsockets.impl.dccp.DccpListener} (stateless Init Cookie handshake), their
 * {@link io.qsockets.impl.dccp.ConnectionSettings} and the
 * {@link io.qsockets.impl.dccp.CongestionControl} a CCID plugs into. Everything here is confined
 * to the engine thread and takes time as a parameter. The wire format is in {@code .wire}.
 */
package io.qsockets.impl.dccp;
