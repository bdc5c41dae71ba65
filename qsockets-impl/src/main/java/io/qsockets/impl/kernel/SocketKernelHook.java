package io.qsockets.impl.kernel;

import io.qsockets.KernelStats;
import io.qsockets.QInfo;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import io.qsockets.spi.KernelClass;
import io.qsockets.spi.KernelPath;

/**
 * What the kernel path does for one socket, driven by the socket's facade: once the socket is
 * bound it gets its kernel class ({@link #bound}); {@code change()} re-rates the class
 * ({@link #changed}); {@code info()} carries the class's counters ({@link #decorate});
 * {@code close()} removes the class ({@link #closed}), keeping its last counters for later
 * {@code info()} calls. The calls may block while the kernel works (milliseconds). Thread-safe.
 */
public final class SocketKernelHook {
    /** The hook of a socket on the user-level path: every call does nothing. */
    public static final SocketKernelHook NONE = new SocketKernelHook(null, null);

    private final KernelPath path;
    private SchedulerAttributes attributes;
    private KernelClass kernelClass;
    private KernelStats last = KernelStats.NONE;
    private boolean closed;

    SocketKernelHook(KernelPath path, SchedulerAttributes attributes) {
        this.path = path;
        this.attributes = attributes;
    }

    /**
     * The socket is bound: gives it its class and marks its traffic for it. Idempotent; call it
     * after every bind, explicit or implicit, and at once for an attached (already bound) socket.
     *
     * @param socket the {@link java.net.DatagramSocket} or {@link java.nio.channels.DatagramChannel}
     *     the datagrams leave through
     * @throws io.qsockets.KernelOffloadException if the kernel refuses the class
     */
    public synchronized void bound(Object socket) {
        if (path != null && !closed && kernelClass == null) {
            kernelClass = path.addSocket(socket, attributes);
        }
    }

    /** The socket's parameters changed: re-rates its class, if it has one. */
    public synchronized void changed(QosParams params) {
        attributes = params.attributes();
        if (kernelClass != null) {
            kernelClass.change(attributes);
        }
    }

    /** @return {@code info} with the class's counters, or as it is if the socket has no class */
    public QInfo decorate(QInfo info) {
        KernelClass c;
        KernelStats after;
        synchronized (this) {
            c = kernelClass;
            after = last;
        }
        KernelStats stats = c != null ? c.stats() : after;
        return KernelStats.NONE.equals(stats) ? info : info.withKernel(stats);
    }

    /** The socket closed: removes its class, after reading its counters one last time. Idempotent. */
    public synchronized void closed() {
        closed = true;
        if (kernelClass != null) {
            KernelClass c = kernelClass;
            kernelClass = null;
            try {
                last = c.stats();
            } finally {
                c.close();
            }
        }
    }

    /** @return whether the socket has a kernel class now */
    public synchronized boolean isClassified() {
        return kernelClass != null;
    }
}
