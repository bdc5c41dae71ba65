package io.qsockets;

/**
 * The kernel path cannot do what was asked: the platform is not Linux, the process lacks
 * {@code CAP_NET_ADMIN}, the {@code tc} command or the device is missing, or the kernel refused.
 * The message says what is missing and how to get it. The user-level path is unaffected: an
 * engine without {@link KernelOffload} works everywhere.
 */
public class KernelOffloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is missing, and how to get it */
    public KernelOffloadException(String message) {
        super(message);
    }

    /**
     * @param message what is missing, and how to get it
     * @param cause the failure underneath
     */
    public KernelOffloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
