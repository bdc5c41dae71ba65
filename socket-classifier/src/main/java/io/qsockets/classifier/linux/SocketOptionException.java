package io.qsockets.classifier.linux;

import java.net.SocketException;
import java.util.Map;

/**
 * A {@code setsockopt}/{@code getsockopt} call failed: the message names the call, the option,
 * the descriptor, the value, the errno and what usually causes it.
 */
public final class SocketOptionException extends SocketException {
    private static final long serialVersionUID = 1L;

    private static final Map<Integer, String> NAMES = Map.of(1, "EPERM", 9, "EBADF", 13, "EACCES", 14, "EFAULT",
            22, "EINVAL", 88, "ENOTSOCK", 92, "ENOPROTOOPT", 95, "EOPNOTSUPP");

    private final int errno;

    SocketOptionException(String call, int errno, String description) {
        super(call + " failed: " + name(errno) + " (" + description + ")" + hint(call, errno));
        this.errno = errno;
    }

    /** @return the errno the call set */
    public int errno() {
        return errno;
    }

    /** @return the errno's symbolic name, e.g. {@code "EPERM"}, or {@code "errno N"} */
    public String errnoName() {
        return name(errno);
    }

    private static String name(int errno) {
        return NAMES.getOrDefault(errno, "errno " + errno);
    }

    private static String hint(String call, int errno) {
        return switch (errno) {
            case 1, 13 -> call.contains("SO_PRIORITY") || call.contains("SO_MARK")
                    ? "; priorities above 6 and marks need CAP_NET_ADMIN: run as root or grant the capability"
                    : "; the process lacks the privilege for this option";
            case 9 -> "; the descriptor is not open: was the socket closed?";
            case 88 -> "; the descriptor is not a socket";
            case 92, 95 -> "; this kernel or socket type does not support the option";
            case 22 -> "; the value is out of range for the option";
            default -> "";
        };
    }
}
