package io.qsockets.impl.engine;

import io.qsockets.impl.transport.ChannelPort;
import io.qsockets.impl.transport.DatagramSink;
import io.qsockets.impl.transport.ErrorQueue;
import io.qsockets.impl.transport.MmsgReceiveBatch;
import io.qsockets.impl.transport.NativeDescriptor;
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
    private final MmsgReceiveBatch batch = MmsgReceiveBatch.createIfSupported();
    private final ErrorQueue errors = ErrorQueue.createIfSupported();
    private final java.util.ArrayList<java.util.Map.Entry<InetSocketAddress, byte[]>> unreachable =
            new java.util.ArrayList<>();
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
    SelectionKey register(DatagramChannel channel, DatagramSink sink, ChannelPort port) throws IOException {
        channel.configureBlocking(false);
        return channel.register(selector, SelectionKey.OP_READ, new Registration(sink, port));
    }

    /**
     * A reading socket: where its datagrams go, and its port if the library owns the socket, so
     * that it can be read natively, many datagrams per system call, and learn of ICMP errors.
     */
    private record Registration(DatagramSink sink, ChannelPort port) {
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

    /**
     * Lets go at once of the channels closed since the last selection. A closed channel that is
     * registered with a selector keeps its socket, and so its port, until the selector next
     * selects; the socket's {@code close()} must not return before the port is free. The channels
     * found ready meanwhile stay selected for the next {@link #poll}.
     */
    void releaseClosed() {
        try {
            selector.selectNow();
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
            Registration r = (Registration) key.attachment();
            NativeDescriptor fd = batch != null && r.port() != null ? r.port().descriptor() : null;
            if (fd == null) {
                read += drain(channel, r.sink(), now);
                continue;
            }
            int n = drainNatively(r.port(), fd, r.sink(), now);
            if (n == 0 && errors != null && r.port().errorsQueued()) {
                read += drainErrors(r, fd, now);
            }
            read += n;
        }
        return read;
    }

    /**
     * A readable socket had no datagram: an ICMP error waits in its queue (and keeps it readable).
     * The errors are read under the port's lock and handed to the sink after it.
     */
    private int drainErrors(Registration r, NativeDescriptor fd, long now) {
        unreachable.clear();
        int n;
        synchronized (r.port().transmitLock()) {
            if (r.port().isRetired()) {
                return 0;
            }
            n = errors.drain(fd, (peer, quoted) -> {
                byte[] copy = new byte[quoted.remaining()];
                quoted.get(copy);
                unreachable.add(java.util.Map.entry(peer, copy));
            });
        }
        for (java.util.Map.Entry<InetSocketAddress, byte[]> e : unreachable) {
            try {
                r.sink().onUnreachable(e.getKey(), ByteBuffer.wrap(e.getValue()), now);
            } catch (RuntimeException ex) {
                LOG.warn("ICMP error for {} could not be handled", e.getKey(), ex);
            }
        }
        unreachable.clear();
        return n;
    }

    private int drainNatively(ChannelPort port, NativeDescriptor fd, DatagramSink sink, long now) {
        int read = 0;
        while (read < READ_BATCH) {
            int n;
            synchronized (port.transmitLock()) {
                n = port.isRetired() ? 0 : batch.receive(fd.fd());
            }
            if (n < 0) {
                readFailures.incrementAndGet(); // e.g. an ICMP error reported on the socket
                continue;
            }
            for (int i = 0; i < n; i++) {
                InetSocketAddress from = batch.sender(i);
                if (from == null) {
                    readFailures.incrementAndGet();
                    continue;
                }
                try {
                    sink.onDatagram(batch.payload(i), from, now);
                } catch (RuntimeException e) {
                    readFailures.incrementAndGet();
                    LOG.warn("datagram from {} could not be handled; dropped", from, e);
                }
            }
            read += n;
            if (n < MmsgReceiveBatch.SLOTS) {
                break;
            }
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
