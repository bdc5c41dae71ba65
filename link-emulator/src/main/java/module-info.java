/**
 * A link emulator for tests and demonstrations: seeded loss (Bernoulli or Gilbert–Elliott),
 * delay, jitter, a rate-limited bottleneck with a tail-drop queue, reordering and duplication, as
 * a pure model on simulated time ({@link io.qsockets.linkemu.LinkModel}) and as a real-time UDP
 * relay on loopback ({@link io.qsockets.linkemu.UdpLinkEmulator}).
 */
module io.qsockets.linkemu {
    requires transitive io.qsockets.api;

    exports io.qsockets.linkemu;
}
