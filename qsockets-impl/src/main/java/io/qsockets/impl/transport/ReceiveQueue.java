package io.qsockets.impl.transport;

import io.qsockets.QDatagram;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The datagrams a transport delivered to one socket, waiting for the application's
 * {@code receive}: bounded, filled by the engine thread, taken by any number of application
 * threads. When it is full the engine drops the newest arrival and counts it, as a kernel socket
 * buffer does. {@link #close()} wakes every waiting receiver. Thread-safe.
 */
public final class ReceiveQueue {
    /** Default bound, in datagrams. */
    public static final int DEFAULT_CAPACITY = 1024;
    /** Marks the queue closed for the receivers that wait on it. */
    private static final QDatagram CLOSED = QDatagram.plain(new byte[0], new InetSocketAddress(0));

    private final ArrayBlockingQueue<QDatagram> queue;
    private final int capacity;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;
    /** Threads in {@link #awaitReadable}; a delivery wakes them only if there are any. */
    private final java.util.concurrent.atomic.AtomicInteger waiters = new java.util.concurrent.atomic.AtomicInteger();
    /** Told when a datagram arrives (readiness for selectors), or null. */
    private volatile Runnable onArrival;

    /** @param capacity the most datagrams held; at least 1 */
    public ReceiveQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("receive queue capacity must be at least 1, got " + capacity);
        }
        this.queue = new ArrayBlockingQueue<>(capacity + 1); // + 1: room for the close marker
        this.capacity = capacity;
    }

    /**
     * Engine thread: delivers a copy of {@code payload}'s remaining bytes.
     *
     * @return false if the queue was full or closed and the datagram was dropped (and counted)
     */
    public boolean deliver(ByteBuffer payload, InetSocketAddress from) {
        return deliver(payload, from, QDatagram.NO_SEGMENT, 0, false, QDatagram.NO_FRAME, false, false,
                QDatagram.NO_TIMESTAMP);
    }

    /**
     * Engine thread: delivers a copy of {@code payload}'s remaining bytes with what its payload
     * header said (the components of {@link QDatagram}).
     *
     * @return false if the queue was full or closed and the datagram was dropped (and counted)
     */
    public boolean deliver(ByteBuffer payload, InetSocketAddress from, long segmentId, int revision, boolean update,
            long frameId, boolean frameStart, boolean frameEnd, long senderTimestampMicros) {
        if (closed || queue.size() >= capacity) {
            dropped.incrementAndGet();
            return false;
        }
        byte[] data = new byte[payload.remaining()];
        payload.get(data);
        if (!queue.offer(new QDatagram(data, from, segmentId, revision, update, frameId, frameStart, frameEnd,
                senderTimestampMicros))) {
            return countDrop();
        }
        arrived();
        return true;
    }

    /** Wakes the threads waiting for readiness, and the readiness listener. */
    private void arrived() {
        if (waiters.get() > 0) {
            synchronized (this) {
                notifyAll();
            }
        }
        Runnable listener = onArrival;
        if (listener != null) {
            listener.run();
        }
    }

    /**
     * Waits until a datagram is waiting or the queue is closed, or {@code nanos} pass.
     *
     * @return whether a datagram is waiting or the queue is closed
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitReadable(long nanos) throws InterruptedException {
        if (isReadable() || closed) {
            return true;
        }
        long deadline = System.nanoTime() + nanos;
        waiters.incrementAndGet();
        try {
            synchronized (this) {
                while (!isReadable() && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                return true;
            }
        } finally {
            waiters.decrementAndGet();
        }
    }

    /** @param listener run on the engine thread after each datagram delivered, or null */
    public void onArrival(Runnable listener) {
        onArrival = listener;
    }

    private boolean countDrop() {
        dropped.incrementAndGet();
        return false;
    }

    /**
     * Takes the next datagram, waiting as {@code DatagramSocket.receive} does.
     *
     * @param timeoutMillis how long to wait; 0 waits for ever
     * @throws SocketTimeoutException if nothing came in time
     * @throws SocketException if the queue is or becomes closed
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public QDatagram take(int timeoutMillis) throws SocketException, SocketTimeoutException, InterruptedException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        QDatagram r = timeoutMillis == 0 ? queue.take() : queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new SocketTimeoutException("Receive timed out");
        }
        if (r == CLOSED) {
            queue.offer(CLOSED); // for the next waiter
            throw new SocketException("Socket closed");
        }
        return r;
    }

    /** @return the next datagram, or null if none is waiting (non-blocking receive) */
    public QDatagram poll() throws SocketException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        QDatagram r = queue.poll();
        if (r == CLOSED) {
            queue.offer(CLOSED);
            throw new SocketException("Socket closed");
        }
        return r;
    }

    /** @return whether a delivery now would find the queue full (or closed) and be dropped */
    public boolean isFull() {
        return closed || queue.size() >= capacity;
    }

    /** @return whether a datagram is waiting */
    public boolean isReadable() {
        QDatagram r = queue.peek();
        return r != null && r != CLOSED;
    }

    /** @return datagrams dropped because the queue was full or closed */
    public long dropped() {
        return dropped.get();
    }

    /** @return datagrams waiting */
    public int size() {
        return queue.contains(CLOSED) ? queue.size() - 1 : queue.size();
    }

    /** Discards what waits and wakes every receiver with a {@link SocketException}. Idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        queue.offer(CLOSED);
        arrived();
    }
}
