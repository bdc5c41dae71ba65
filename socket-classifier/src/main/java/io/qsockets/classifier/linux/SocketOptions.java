package io.qsockets.classifier.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Platform;
import io.qsockets.classifier.NativeSocket;
import java.util.Set;

/**
 * Socket options the JDK does not offer, set on a socket's descriptor through JNA: the queueing
 * priority ({@code SO_PRIORITY}, which an HTB qdisc takes as a class id), the firewall mark
 * ({@code SO_MARK}), the DSCP ({@code IP_TOS} / {@code IPV6_TCLASS}) and the pacing cap
 * ({@code SO_MAX_PACING_RATE}). Linux only; a failing call throws a
 * {@link SocketOptionException} naming the errno and its usual cause. Thread-safe.
 */
public final class SocketOptions {
    private static final int SOL_SOCKET = 1;
    private static final int SO_PRIORITY = 12;
    private static final int SO_MARK = 36;
    private static final int SO_MAX_PACING_RATE = 47;
    private static final int IPPROTO_IP = 0;
    private static final int IP_TOS = 1;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_TCLASS = 67;
    /** Architectures whose socket option numbers are the generic ones used here. */
    private static final Set<String> GENERIC_ABI = Set.of("x86", "x86-64", "aarch64", "arm", "armel", "riscv64",
            "ppc64le", "ppc64", "s390x", "loongarch64");

    private SocketOptions() {
    }

    /**
     * @throws UnsupportedOperationException naming the platform if the options cannot be set here
     */
    public static void requireSupported() {
        if (!Platform.isLinux() || !GENERIC_ABI.contains(Platform.ARCH)) {
            throw new UnsupportedOperationException("socket options through JNA need Linux on one of " + GENERIC_ABI
                    + "; this is " + System.getProperty("os.name") + " on " + Platform.ARCH);
        }
    }

    /** @param priority the queueing priority; above 6 needs {@code CAP_NET_ADMIN} */
    public static void setPriority(NativeSocket socket, int priority) throws SocketOptionException {
        setInt(socket, SOL_SOCKET, SO_PRIORITY, "SO_PRIORITY", priority);
    }

    /** @return the queueing priority */
    public static int priority(NativeSocket socket) throws SocketOptionException {
        return getInt(socket, SOL_SOCKET, SO_PRIORITY, "SO_PRIORITY");
    }

    /** @param mark the firewall mark (unsigned 32 bits); needs {@code CAP_NET_ADMIN} */
    public static void setMark(NativeSocket socket, int mark) throws SocketOptionException {
        setInt(socket, SOL_SOCKET, SO_MARK, "SO_MARK", mark);
    }

    /** @return the firewall mark */
    public static int mark(NativeSocket socket) throws SocketOptionException {
        return getInt(socket, SOL_SOCKET, SO_MARK, "SO_MARK");
    }

    /**
     * Sets the DSCP of the socket's datagrams: {@code IP_TOS} on an IPv4 socket; on an IPv6
     * socket {@code IPV6_TCLASS}, and {@code IP_TOS} for its IPv4-mapped traffic.
     *
     * @param dscp the differentiated services code point, 0 to 63 (e.g. 46 for EF)
     */
    public static void setDscp(NativeSocket socket, int dscp) throws SocketOptionException {
        if (dscp < 0 || dscp > 63) {
            throw new IllegalArgumentException("DSCP " + dscp + " must be between 0 and 63");
        }
        int tos = dscp << 2;
        if (socket.isIpv6()) {
            setInt(socket, IPPROTO_IPV6, IPV6_TCLASS, "IPV6_TCLASS", tos);
        }
        setInt(socket, IPPROTO_IP, IP_TOS, "IP_TOS", tos);
    }

    /** @return the DSCP: from {@code IPV6_TCLASS} on an IPv6 socket, from {@code IP_TOS} otherwise */
    public static int dscp(NativeSocket socket) throws SocketOptionException {
        return trafficClass(socket) >>> 2;
    }

    /**
     * @return the whole traffic class byte (DSCP and ECN bits): {@code IPV6_TCLASS} on an IPv6
     *     socket, {@code IP_TOS} otherwise
     */
    public static int trafficClass(NativeSocket socket) throws SocketOptionException {
        return socket.isIpv6() ? getInt(socket, IPPROTO_IPV6, IPV6_TCLASS, "IPV6_TCLASS")
                : getInt(socket, IPPROTO_IP, IP_TOS, "IP_TOS");
    }

    /**
     * Caps the rate at which the kernel paces the socket (honoured by the {@code fq} qdisc and by
     * TCP's internal pacing).
     *
     * @param bytesPerSecond the cap, positive, or {@link Long#MAX_VALUE} for none
     */
    public static void setMaxPacingRate(NativeSocket socket, long bytesPerSecond) throws SocketOptionException {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("pacing rate " + bytesPerSecond + " B/s must be positive");
        }
        requireSupported();
        long value = bytesPerSecond == Long.MAX_VALUE ? -1L : bytesPerSecond;
        String call = call("setsockopt", socket, "SO_MAX_PACING_RATE") + " = " + bytesPerSecond;
        try {
            if (value >= 0 && value < 0xFFFF_FFFFL) {
                LibC.setsockopt(socket.fd(), SOL_SOCKET, SO_MAX_PACING_RATE, new int[] {(int) value}, Integer.BYTES);
            } else {
                LibC.setsockopt(socket.fd(), SOL_SOCKET, SO_MAX_PACING_RATE, new long[] {value}, Long.BYTES);
            }
        } catch (LastErrorException e) {
            throw failure(call, e);
        }
    }

    /** @return the pacing cap in bytes per second, {@link Long#MAX_VALUE} for none */
    public static long maxPacingRate(NativeSocket socket) throws SocketOptionException {
        requireSupported();
        long[] value = {0};
        int[] length = {Long.BYTES};
        try {
            LibC.getsockopt(socket.fd(), SOL_SOCKET, SO_MAX_PACING_RATE, value, length);
        } catch (LastErrorException e) {
            throw failure(call("getsockopt", socket, "SO_MAX_PACING_RATE"), e);
        }
        long v = length[0] == Integer.BYTES ? value[0] & 0xFFFF_FFFFL : value[0];
        return v == -1L || (length[0] == Integer.BYTES && v == 0xFFFF_FFFFL) ? Long.MAX_VALUE : v;
    }

    private static void setInt(NativeSocket socket, int level, int option, String name, int value)
            throws SocketOptionException {
        requireSupported();
        try {
            LibC.setsockopt(socket.fd(), level, option, new int[] {value}, Integer.BYTES);
        } catch (LastErrorException e) {
            throw failure(call("setsockopt", socket, name) + " = " + value, e);
        }
    }

    private static int getInt(NativeSocket socket, int level, int option, String name) throws SocketOptionException {
        requireSupported();
        int[] value = {0};
        try {
            LibC.getsockopt(socket.fd(), level, option, value, new int[] {Integer.BYTES});
        } catch (LastErrorException e) {
            throw failure(call("getsockopt", socket, name), e);
        }
        return value[0];
    }

    private static String call(String function, NativeSocket socket, String option) {
        return function + "(fd " + socket.fd() + ", " + option + ")";
    }

    private static SocketOptionException failure(String call, LastErrorException e) {
        int errno = e.getErrorCode();
        return new SocketOptionException(call, errno, LibC.strerror(errno));
    }
}
