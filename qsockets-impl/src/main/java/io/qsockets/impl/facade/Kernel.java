package io.qsockets.impl.facade;

import io.qsockets.KernelOffloadException;
import io.qsockets.impl.kernel.SocketKernelHook;
import java.net.SocketException;

/** The facades' side of the kernel path. Stateless. */
final class Kernel {
    private Kernel() {
    }

    /**
     * Gives a newly bound socket its kernel class; the kernel's refusal becomes the
     * {@link SocketException} a bind may throw, with the reason as its cause.
     */
    static void bound(SocketKernelHook hook, Object socket) throws SocketException {
        try {
            hook.bound(socket);
        } catch (KernelOffloadException e) {
            throw (SocketException) new SocketException("kernel offload refused the socket: " + e.getMessage())
                    .initCause(e);
        }
    }
}
