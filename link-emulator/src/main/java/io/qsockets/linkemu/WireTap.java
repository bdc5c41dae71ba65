package io.qsockets.linkemu;

/**
 * Sees every packet offered to a link, with the time it was offered and the link's verdict: for
 * tests that check what an endpoint put on the wire and when (e.g. that nothing was transmitted
 * after a deadline).
 *
 * <p>Called on the thread that offers the packet (the relay thread of a
 * {@link UdpLinkEmulator}), before the packet can be delivered; it must be quick and must not
 * call back into the link. Installing a tap costs one allocation and one copy per packet.
 */
@FunctionalInterface
public interface WireTap {

    /** @param event the offered packet and its fate */
    void onPacket(WireEvent event);
}
