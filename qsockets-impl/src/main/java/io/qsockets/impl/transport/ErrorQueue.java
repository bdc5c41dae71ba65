package io.qsockets.impl.transport;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The ICMP errors Linux reports on an unconnected UDP socket once {@code IP_RECVERR} (and, on an
 * IPv6 socket, {@code IPV6_RECVERR}) is set: each is read from the socket's error queue with
 * {@code recvmsg(MSG_ERRQUEUE)}, which gives the destination of the datagram that drew it, the
 * start of that datagram, and the error. Only "port unreachable" is passed on. A socket whose
 * error queue holds something polls readable, so the reader drains it whenever a readable socket
 * had no datagram. Engine thread only.
 */
public final class ErrorQueue {
    /** What {@link #drain} passes each port-unreachable error to. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param peer where the datagram that drew the error was going
         * @param quoted its start, valid only during the call
         */
        void unreachable(InetSocketAddress peer, ByteBuffer quoted);
    }

    private static final int SOL_IP = 0;
    private static final int IP_RECVERR = 11;
    private static final int SOL_IPV6 = 41;
    private static final int IPV6_RECVERR = 25;
    private static final int MSG_ERRQUEUE = 0x2000;
    private static final int ECONNREFUSED = 111;
    private static final int SO_EE_ORIGIN_ICMP = 2;
    private static final int SO_EE_ORIGIN_ICMP6 = 3;
    /** Most errors read in one drain. */
    private static final int MAX_PER_DRAIN = 64;

    private static final int MSGHDR = 56;
    private static final int NAME_AT = MSGHDR;
    private static final int IOVEC_AT = NAME_AT + 32;
    private static final int DATA_AT = IOVEC_AT + 16;
    /** What of the quoted datagram is read: all of a padded DCCP Request (200 bytes) and more. */
    private static final int DATA_BYTES = 512;
    private static final int CONTROL_AT = DATA_AT + DATA_BYTES;
    private static final int CONTROL_BYTES = 256;

    private final Memory memory = new Memory(CONTROL_AT + CONTROL_BYTES);
    private final ByteBuffer bytes = memory.getByteBuffer(0, CONTROL_AT + CONTROL_BYTES).order(ByteOrder.nativeOrder());
    private final ByteBuffer quoted = memory.getByteBuffer(DATA_AT, DATA_BYTES);
    private final byte[] address16 = new byte[16];
    private final byte[] address4 = new byte[4];

    private ErrorQueue() {
        long base = Pointer.nativeValue(memory);
        memory.setMemory(0, CONTROL_AT + CONTROL_BYTES, (byte) 0);
        bytes.putLong(0, base + NAME_AT); // msg_name
        bytes.putLong(16, base + IOVEC_AT); // msg_iov
        bytes.putLong(24, 1); // msg_iovlen
        bytes.putLong(32, base + CONTROL_AT); // msg_control
        bytes.putLong(IOVEC_AT, base + DATA_AT);
        bytes.putLong(IOVEC_AT + 8, DATA_BYTES);
    }

    /** @return an error queue reader, or null where native calls are unavailable */
    public static ErrorQueue createIfSupported() {
        return LinuxSockets.AVAILABLE ? new ErrorQueue() : null;
    }

    /**
     * Asks the kernel to queue the ICMP errors of {@code fd}.
     *
     * @return false if it refused (the socket then reports no errors)
     */
    public static boolean enable(NativeDescriptor fd) {
        try {
            LinuxSockets.setsockopt(fd.fd(), SOL_IP, IP_RECVERR, new int[] {1}, 4);
            if (fd.family() == LinuxSockets.AF_INET6) {
                LinuxSockets.setsockopt(fd.fd(), SOL_IPV6, IPV6_RECVERR, new int[] {1}, 4);
            }
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /**
     * Reads the errors queued on {@code fd}, without blocking.
     *
     * @return how many were read
     */
    public int drain(NativeDescriptor fd, Handler handler) {
        int read = 0;
        while (read < MAX_PER_DRAIN) {
            bytes.putInt(8, SocketAddresses.SOCKADDR_IN6_SIZE); // msg_namelen
            bytes.putLong(40, CONTROL_BYTES); // msg_controllen
            bytes.putInt(48, 0); // msg_flags
            long n;
            try {
                n = LinuxSockets.recvmsg(fd.fd(), memory, MSG_ERRQUEUE | LinuxSockets.MSG_DONTWAIT);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == LinuxSockets.EINTR) {
                    continue;
                }
                return read; // EAGAIN: the queue is empty
            }
            read++;
            InetSocketAddress peer = destination();
            if (peer != null && isPortUnreachable()) {
                handler.unreachable(peer, quoted.clear().limit((int) Math.min(n, DATA_BYTES)));
            }
        }
        return read;
    }

    /** @return whether the control messages hold an ICMP or ICMPv6 port-unreachable error */
    private boolean isPortUnreachable() {
        long controlLength = bytes.getLong(40);
        int at = CONTROL_AT;
        int end = CONTROL_AT + (int) Math.min(controlLength, CONTROL_BYTES);
        while (at + 16 <= end) {
            long length = bytes.getLong(at);
            int level = bytes.getInt(at + 8);
            int type = bytes.getInt(at + 12);
            if (length < 16 || at + length > end) {
                return false;
            }
            boolean recverr = level == SOL_IP && type == IP_RECVERR || level == SOL_IPV6 && type == IPV6_RECVERR;
            if (recverr && length >= 16 + 16) { // struct sock_extended_err
                int errno = bytes.getInt(at + 16);
                int origin = bytes.get(at + 20) & 0xff;
                if (errno == ECONNREFUSED && (origin == SO_EE_ORIGIN_ICMP || origin == SO_EE_ORIGIN_ICMP6)) {
                    return true;
                }
            }
            at += (int) ((length + 7) & ~7L); // CMSG_ALIGN
        }
        return false;
    }

    /** @return msg_name: where the datagram that drew the error was going */
    private InetSocketAddress destination() {
        int family = bytes.getShort(NAME_AT) & 0xffff;
        int port = (bytes.get(NAME_AT + 2) & 0xff) << 8 | (bytes.get(NAME_AT + 3) & 0xff);
        byte[] address;
        if (family == LinuxSockets.AF_INET) {
            bytes.get(NAME_AT + 4, address4);
            address = address4;
        } else if (family == LinuxSockets.AF_INET6) {
            bytes.get(NAME_AT + 8, address16);
            address = address16;
        } else {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOf(address, address.length)), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
