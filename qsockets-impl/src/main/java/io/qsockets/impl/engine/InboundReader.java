package io.qsockets.impl.engine;

import io.qsockets.impl.transport.DatagramSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2 of the duty cycle: reads the datagrams that arrived on the engine's reading sockets and
 * hands each to its socket's {@link DatagramSink}. Its {@link Selector} is also how an engine with
 * reading sockets sleeps: it waits for a datagram or the next timer, and {@link #wakeup()} ends the
 * wait when an application thread posts work. Created on the first reading socket; engine thread
 * only, except {@link #wakeup()}.
 */
final class InboundReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InboundReader.class);
    /** Most datagrams read from one socket in one cycle, so that one busy socket cannot starve the rest. */
    static final int READ_BATCH = 64;

    private final Selector selector;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
    private final AtomicLong readFailures = new AtomicLong();

    InboundReader() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the engine's selector", e);
        }
    }

    /**
     * Starts reading {@code channel}; it is switched to non-blocking mode.
     *
     * @return the registration, to {@linkplain SelectionKey#cancel() cancel} when the socket goes
     */
    SelectionKey register(DatagramChannel channel, DatagramSink sink) throws IOException {
        channel.configureBlocking(false);
        return channel.register(selector, SelectionKey.OP_READ, sink);
    }

    /** @return datagrams read */
    int poll(long now) {
        try {
            selector.selectNow();
        } catch (IOException e) {
            readFailures.incrementAndGet();
            return 0;
        }
        // a sleep's select may have filled the selected set already: selectNow then counts 0
        return selector.selectedKeys().isEmpty() ? 0 : readSelected(now);
    }

    /**
     * Sleeps until a datagram arrives, {@link #wakeup()} is called, or {@code nanos} pass (forever
     * if {@code Long.MAX_VALUE}); the selector's granularity is a millisecond, so it sleeps whole
     * milliseconds, rounding down, and returns at once below one.
     */
    void sleep(long nanos) {
        try {
            if (nanos == Long.MAX_VALUE) {
                selector.select();
            } else {
                long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
                if (ms > 0) {
                    selector.select(ms);
                }
            }
        } catch (IOException e) {
            readFailures.incrementAndGet();
        }
    }

    /** Any thread: ends a {@link #sleep} in progress, or makes the next one return at once. */
    void wakeup() {
        selector.wakeup();
    }

    /** @return reads that failed (each loses at most the datagram being read) */
    long readFailures() {
        return readFailures.get();
    }

    private int readSelected(long now) {
        int read = 0;
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            if (!key.isValid()) {
                continue;
            }
            DatagramChannel channel = (DatagramChannel) key.channel();
            DatagramSink sink = (DatagramSink) key.attachment();
            read += drain(channel, sink, now);
        }
        return read;
    }

    private int drain(DatagramChannel channel, DatagramSink sink, long now) {
        for (int i = 0; i < READ_BATCH; i++) {
            buffer.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return i;
            } catch (IOException e) {
                readFailures.incrementAndGet(); // e.g. an ICMP error reported on a connected socket
                LOG.debug("read failed: {}", e.toString());
                continue;
            }
            if (from == null) {
                return i;
            }
            buffer.flip();
            try {
                sink.onDatagram(buffer, from, now);
            } catch (RuntimeException e) {
                readFailures.incrementAndGet();
                LOG.warn("datagram from {} could not be handled; dropped", from, e);
            }
        }
        return READ_BATCH;
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("selector close failed: {}", e.toString());
        }
    }
}
