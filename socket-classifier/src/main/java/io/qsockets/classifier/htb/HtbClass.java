package io.qsockets.classifier.htb;

import io.qsockets.KernelStats;
import io.qsockets.SchedulerAttributes;
import io.qsockets.classifier.NativeSocket;
import io.qsockets.classifier.linux.SocketOptionException;
import io.qsockets.classifier.linux.SocketOptions;
import io.qsockets.spi.KernelClass;

/** One socket's HTB class: its rate, its counters, and the mark on the socket. Thread-safe. */
final class HtbClass implements KernelClass {
    private final HtbKernelPath path;
    private final Object socket;
    private final NativeSocket nativeSocket;
    private final int minor;
    private final int previousPriority;
    private volatile long rate;
    private volatile boolean closed;

    HtbClass(HtbKernelPath path, Object socket, NativeSocket nativeSocket, int minor, long rate, int previousPriority) {
        this.path = path;
        this.socket = socket;
        this.nativeSocket = nativeSocket;
        this.minor = minor;
        this.rate = rate;
        this.previousPriority = previousPriority;
    }

    @Override
    public void change(SchedulerAttributes attributes) {
        path.onWorker(() -> {
            if (closed) {
                throw new IllegalStateException("the class " + classId() + " of " + socket + " is closed");
            }
            path.checkOpen();
            long newRate = HtbRates.socketRate(attributes, path.packetSize(), path.offload().linkRateBitsPerSecond());
            path.addOrChange("change", minor, newRate, 0);
            rate = newRate;
            return null;
        });
    }

    @Override
    public KernelStats stats() {
        if (closed || path.isClosed()) {
            return KernelStats.NONE;
        }
        try {
            return path.onWorker(() -> closed || path.isClosed() ? KernelStats.NONE
                    : ClassCounters.parse(path.showClass(minor), classId(), rate,
                            path.offload().linkRateBitsPerSecond()));
        } catch (IllegalStateException e) {
            return KernelStats.NONE; // the path closed meanwhile
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            path.onWorker(() -> {
                if (!closed) {
                    closed = true;
                    unmark();
                    path.remove(this);
                }
                return null;
            });
        } catch (IllegalStateException e) {
            closed = true; // the path closed first, and took the class with it
        }
    }

    /** Worker: gives the socket its old priority back, if it is still open. */
    void unmark() {
        closed = true;
        if (path.locator().holds(nativeSocket)) {
            try {
                SocketOptions.setPriority(nativeSocket, previousPriority);
            } catch (SocketOptionException e) {
                // closed meanwhile: nothing left to unmark
            }
        }
    }

    int minor() {
        return minor;
    }

    /** @return the class id, e.g. "1:10" */
    String classId() {
        return HtbKernelPath.classId(minor);
    }

    @Override
    public String toString() {
        return "HtbClass[" + classId() + " on " + path.offload().device() + ", " + rate + " bit/s, " + socket + "]";
    }
}
