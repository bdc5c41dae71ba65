package io.qsockets.impl.facade;

import io.qsockets.QosParams;
import java.io.IOException;
import java.net.SocketException;

/** Argument checks and exception adaptation shared by the facades. */
final class Checks {
    private Checks() {
    }

    /** The engine, transport, congestion control and queue bound of a socket are fixed when it is created. */
    static void sameEngineAndTransport(QosParams current, QosParams next) {
        if (next.engine() != null && next.engine() != current.engine()) {
            throw new IllegalArgumentException("change() cannot move a socket to another engine");
        }
        if (next.scheduler() != null && current.scheduler() != null && !next.scheduler().equals(current.scheduler())) {
            throw new IllegalArgumentException("change() cannot switch scheduler from '" + current.scheduler()
                    + "' to '" + next.scheduler() + "'");
        }
        if (next.transport() != current.transport()) {
            throw new IllegalArgumentException("change() cannot switch transport from " + current.transport() + " to "
                    + next.transport());
        }
        if (next.congestionControl() != current.congestionControl()) {
            throw new IllegalArgumentException("change() cannot switch congestion control from "
                    + current.congestionControl() + " to " + next.congestionControl());
        }
        if (next.sendQueueCapacity() != current.sendQueueCapacity()) {
            throw new IllegalArgumentException("change() cannot resize the send queue from "
                    + current.sendQueueCapacity() + " to " + next.sendQueueCapacity());
        }
    }

    /** @return {@code d} in nanoseconds, saturated at {@link Long#MAX_VALUE} */
    static long saturatedNanos(java.time.Duration d) {
        return d.compareTo(java.time.Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : d.toNanos();
    }

    interface IoCall<T> {
        T call() throws IOException;
    }

    interface IoAction {
        void run() throws IOException;
    }

    static <T> T io(IoCall<T> call) throws SocketException {
        try {
            return call.call();
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw (SocketException) new SocketException(e.getMessage()).initCause(e);
        }
    }

    static void io(IoAction action) throws SocketException {
        io(() -> {
            action.run();
            return null;
        });
    }
}
