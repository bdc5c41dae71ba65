package io.qsockets.impl.facade;

import io.qsockets.impl.transport.ReceiveQueue;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * The selectable readiness of one {@code QDatagramChannel}: the source end of a pipe that holds
 * one byte while a datagram may be waiting, so an application's own {@code Selector} can wait on
 * many channels. On the DCCP transport the receive queue raises it on each arrival; on UDP the
 * {@link ReadinessWatcher} raises it when the kernel socket becomes readable. A receive that
 * comes back empty lowers it (and re-arms the watcher); a raise that races with it is never lost,
 * because the lowering is followed by a look at the queue (DCCP) or the kernel's level-triggered
 * readiness (UDP). Thread-safe.
 */
final class Readiness implements Closeable {
    private final Pipe.SourceChannel source;
    private final Pipe.SinkChannel sink;
    private final ByteBuffer mark = ByteBuffer.allocate(1);
    private final ByteBuffer drain = ByteBuffer.allocate(16);
    /** The DCCP transport's receive queue, or null on UDP. */
    private final ReceiveQueue inbox;
    private final DatagramChannel inner;
    /** The watcher's key on {@link #inner} (UDP, non-blocking mode), or null. */
    private volatile SelectionKey watched;
    /** Whether the pipe holds its byte; guarded by {@code this}. */
    private boolean raised;

    Readiness(DatagramChannel inner, ReceiveQueue inbox) throws IOException {
        Pipe pipe = Pipe.open();
        this.source = pipe.source();
        this.sink = pipe.sink();
        source.configureBlocking(false);
        sink.configureBlocking(false);
        this.inner = inner;
        this.inbox = inbox;
        if (inbox != null) {
            inbox.onArrival(this::raise);
            if (inbox.isReadable()) {
                raise();
            }
        }
    }

    /** @return the channel an application registers for {@code OP_READ} */
    SelectableChannel channel() {
        return source;
    }

    /** UDP: starts watching the JDK channel, which is now non-blocking. */
    void watch() throws IOException {
        if (inbox == null && watched == null) {
            watched = ReadinessWatcher.shared().watch(inner, this);
        }
    }

    /** UDP: stops watching, so that the JDK channel can switch to blocking mode. */
    void unwatch() {
        SelectionKey key = watched;
        watched = null;
        if (key != null) {
            key.cancel();
        }
    }

    /** Any thread: a datagram may be waiting. */
    synchronized void raise() {
        if (raised || !sink.isOpen()) {
            return;
        }
        try {
            mark.clear();
            sink.write(mark);
            raised = true;
        } catch (IOException e) {
            // the pipe is closed: the channel is closing
        }
    }

    /**
     * Application thread, after a receive: lowers the signal if nothing is left to take, and
     * raises it again if a datagram came meanwhile.
     *
     * @param got whether the receive returned a datagram
     */
    void received(boolean got) {
        if (inbox != null) {
            if (!inbox.isReadable()) {
                lower();
                if (inbox.isReadable()) {
                    raise();
                }
            }
        } else if (!got) {
            lower();
            SelectionKey key = watched;
            if (key != null) {
                ReadinessWatcher.shared().rearm(key);
            }
        }
    }

    private synchronized void lower() {
        if (!raised) {
            return;
        }
        try {
            drain.clear();
            while (source.read(drain) > 0) {
                drain.clear();
            }
            raised = false;
        } catch (IOException e) {
            // the pipe is closed: the channel is closing
        }
    }

    @Override
    public void close() throws IOException {
        unwatch();
        if (inbox != null) {
            inbox.onArrival(null);
        }
        synchronized (this) {
            sink.close();
            source.close(); // cancels the application's key, as closing a registered channel does
        }
    }
}
