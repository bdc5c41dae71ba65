package io.qsockets.classifier.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/** The C library calls the socket options need, bound by JNA direct mapping. */
final class LibC {
    static {
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native int setsockopt(int fd, int level, int name, int[] value, int length) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, long[] value, int length) throws LastErrorException;

    static native int getsockopt(int fd, int level, int name, int[] value, int[] length) throws LastErrorException;

    static native int getsockopt(int fd, int level, int name, long[] value, int[] length) throws LastErrorException;

    static native String strerror(int errno);
}
