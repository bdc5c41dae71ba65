package io.qsockets.impl.transport;

import com.sun.jna.LastErrorException;

/**
 * Makes a DCCP socket's packets unfragmentable (RFC 4340 §14.1: "A DCCP sender SHOULD send every
 * packet as unfragmentable"): the IPv4 Don't Fragment bit, and no local fragmentation on IPv6. A
 * packet larger than the path is then dropped with an ICMP "too big" rather than split into
 * fragments, which lose the whole packet when one is lost and which many IPv6 paths drop.
 * {@code QosParams.maxPacketSize} keeps packets within a 1500-byte path by default. Linux only;
 * stateless.
 */
public final class DontFragment {
    private static final int SOL_IP = 0;
    private static final int SOL_IPV6 = 41;
    private static final int IP_MTU_DISCOVER = 10;
    private static final int IPV6_MTU_DISCOVER = 23;
    /** IP_PMTUDISC_DO and IPV6_PMTUDISC_DO: always DF, never fragment locally. */
    static final int PMTUDISC_DO = 2;

    private DontFragment() {
    }

    /**
     * Sets DF on {@code fd}, on both families for a dual-stack IPv6 socket.
     *
     * @return false if the kernel refused (the packets then stay fragmentable)
     */
    public static boolean set(NativeDescriptor fd) {
        try {
            LinuxSockets.setsockopt(fd.fd(), SOL_IP, IP_MTU_DISCOVER, new int[] {PMTUDISC_DO}, 4);
            if (fd.family() == LinuxSockets.AF_INET6) {
                LinuxSockets.setsockopt(fd.fd(), SOL_IPV6, IPV6_MTU_DISCOVER, new int[] {PMTUDISC_DO}, 4);
            }
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /** @return whether native socket options can be set here (Linux, JNA) */
    public static boolean isSupported() {
        return LinuxSockets.AVAILABLE;
    }

    /** @return the IPv4 path MTU discovery mode of {@code fd} ({@link #PMTUDISC_DO} once {@link #set}) */
    public static int mode(NativeDescriptor fd) {
        int[] value = new int[1];
        LinuxSockets.getsockopt(fd.fd(), SOL_IP, IP_MTU_DISCOVER, value, new int[] {4});
        return value[0];
    }
}
