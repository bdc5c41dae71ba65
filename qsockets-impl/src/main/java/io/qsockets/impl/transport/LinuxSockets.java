package io.qsockets.impl.transport;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct JNA bindings to the few Linux socket calls the batch sender needs. {@link #AVAILABLE} is
 * false off Linux, on other than 64-bit platforms, or when the C library cannot be bound; callers
 * then keep to the JDK's own send. Stateless and thread-safe.
 */
final class LinuxSockets {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxSockets.class);

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;
    static final int SOL_SOCKET = 1;
    static final int SO_TYPE = 3;
    static final int SO_DOMAIN = 39;
    static final int MSG_DONTWAIT = 0x40;
    static final int EINTR = 4;
    static final int EAGAIN = 11;

    /** Whether the bindings are usable on this machine. */
    static final boolean AVAILABLE = bind();

    private LinuxSockets() {
    }

    private static boolean bind() {
        if (!Platform.isLinux() || Native.POINTER_SIZE != 8 || Native.LONG_SIZE != 8) {
            return false;
        }
        try {
            Native.register(LinuxSockets.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("native socket calls unavailable; sends go through the JDK: {}", e.toString());
            return false;
        }
    }

    static native int sendmmsg(int fd, Pointer msgvec, int vlen, int flags) throws LastErrorException;

    static native int recvmmsg(int fd, Pointer msgvec, int vlen, int flags, Pointer timeout)
            throws LastErrorException;

    static native int getsockname(int fd, byte[] addr, int[] addrlen) throws LastErrorException;

    static native int getsockopt(int fd, int level, int name, int[] value, int[] valueLength)
            throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, int[] value, int valueLength)
            throws LastErrorException;

    static native long recvmsg(int fd, Pointer msghdr, int flags) throws LastErrorException;

    /** @return the integer value of a socket option, or -1 if {@code fd} is not a socket */
    static int intOption(int fd, int level, int name) {
        int[] value = new int[1];
        try {
            getsockopt(fd, level, name, value, new int[] {4});
            return value[0];
        } catch (LastErrorException e) {
            return -1;
        }
    }
}
