package io.qsockets.classifier.testing;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/** C library calls the tests need to check the code under test independently. */
public final class TestLibC {
    static {
        Native.register(TestLibC.class, Platform.C_LIBRARY_NAME);
    }

    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;

    private TestLibC() {
    }

    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int setns(int fd, int nstype) throws LastErrorException;

    static native int getsockname(int fd, byte[] address, int[] length) throws LastErrorException;

    /** Moves the calling thread into the network namespace at {@code path}. */
    public static void enterNetworkNamespace(String path) {
        int fd = open(path, O_RDONLY_CLOEXEC);
        try {
            setns(fd, CLONE_NEWNET);
        } finally {
            close(fd);
        }
    }

    /** @return the local port {@code fd} is bound to, as the kernel reports it */
    public static int boundPort(int fd) {
        byte[] address = new byte[128];
        getsockname(fd, address, new int[] {address.length});
        return ((address[2] & 0xff) << 8) | (address[3] & 0xff); // sin_port / sin6_port, network order
    }
}
