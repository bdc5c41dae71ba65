package io.qsockets;

/**
 * Hands an engine's per-socket scheduling to the kernel's traffic control (Linux, the paper's
 * {@code qsockinit} on a device): {@link QSockets#init(EngineConfig)} installs an HTB root qdisc
 * on {@link #device()}, shaped to {@link #linkRateBitsPerSecond()}, with a default class for
 * unclassified traffic; each socket of the engine gets a class of its own, with a rate derived
 * from its {@link SchedulerAttributes} and {@link #packetSizeBytes()}. Closing the engine leaves
 * the device as it was found. Needs {@code CAP_NET_ADMIN}; see {@code docs/kernel-path.md}.
 *
 * <p>Immutable.
 *
 * @param device the network device, as {@code ip link} names it, in the network namespace of
 *     the thread that calls {@code init}
 * @param linkRateBitsPerSecond the rate of the HTB root class: the link's capacity, or the rate
 *     the device is to be shaped to; positive
 * @param packetSizeBytes the IP packet size per-socket rates are computed from (a socket with
 *     period {@code T} is guaranteed {@code 8 * packetSizeBytes / T} bit/s), 64 to 65535, or 0
 *     for the device's MTU
 */
public record KernelOffload(String device, long linkRateBitsPerSecond, int packetSizeBytes) {
    /** Longest device name Linux accepts ({@code IFNAMSIZ - 1}). */
    public static final int MAX_DEVICE_NAME = 15;

    /** Validates the settings. */
    public KernelOffload {
        if (device == null || device.isEmpty() || device.length() > MAX_DEVICE_NAME
                || !device.chars().allMatch(c -> c > ' ' && c < 127 && c != '/' && c != ':')) {
            throw new IllegalArgumentException("device name '" + device + "' must be 1 to " + MAX_DEVICE_NAME
                    + " printable characters without spaces, '/' or ':'");
        }
        if (linkRateBitsPerSecond <= 0) {
            throw new IllegalArgumentException("link rate " + linkRateBitsPerSecond + " bit/s must be > 0");
        }
        if (packetSizeBytes != 0 && (packetSizeBytes < 64 || packetSizeBytes > 65_535)) {
            throw new IllegalArgumentException("packet size " + packetSizeBytes
                    + " bytes must be between 64 and 65535, or 0 for the device MTU");
        }
    }

    /**
     * @param device the network device
     * @param linkRateBitsPerSecond the link's rate, positive
     * @return offload onto {@code device}, with per-socket rates computed for MTU-sized packets
     */
    public static KernelOffload on(String device, long linkRateBitsPerSecond) {
        return new KernelOffload(device, linkRateBitsPerSecond, 0);
    }
}
