package io.qsockets.impl.facade;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that watches the JDK channels under the UDP {@code QDatagramChannel}s whose
 * {@link Readiness} an application selects on: when one becomes readable it stops watching it
 * (interest 0) and raises its signal; the channel re-arms it when its receive comes back empty.
 * One-shot interest keeps the thread idle while an application is draining. Thread-safe.
 */
final class ReadinessWatcher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadinessWatcher.class);

    private final Selector selector;
    /** Registrations to make on the watcher thread, which alone calls {@code select}. */
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();

    private ReadinessWatcher() throws IOException {
        this.selector = Selector.open();
        Thread thread = new Thread(this, "qsockets-readiness");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return the watcher of this JVM, started on first use */
    static ReadinessWatcher shared() {
        return Holder.WATCHER;
    }

    /**
     * Watches {@code channel}, which must be non-blocking, for {@code readiness}.
     *
     * @return the key, whose attachment is {@code readiness}
     */
    SelectionKey watch(DatagramChannel channel, Readiness readiness) throws IOException {
        CompletableFuture<SelectionKey> key = new CompletableFuture<>();
        commands.add(() -> {
            try {
                key.complete(register(channel, readiness));
            } catch (IOException | RuntimeException e) {
                key.completeExceptionally(e);
            }
        });
        selector.wakeup();
        try {
            return key.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while watching " + channel);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private SelectionKey register(DatagramChannel channel, Readiness readiness) throws IOException {
        try {
            return channel.register(selector, SelectionKey.OP_READ, readiness);
        } catch (CancelledKeyException e) {
            selector.selectNow(); // an earlier watch of this channel, cancelled but not yet deregistered
            return channel.register(selector, SelectionKey.OP_READ, readiness);
        }
    }

    /** Any thread: watches {@code key}'s channel again. */
    void rearm(SelectionKey key) {
        try {
            key.interestOps(SelectionKey.OP_READ);
            selector.wakeup();
        } catch (CancelledKeyException e) {
            // the channel was closed or switched to blocking mode: nothing to watch
        }
    }

    @Override
    public void run() {
        while (true) {
            try {
                selector.select();
                for (Runnable command; (command = commands.poll()) != null; ) {
                    command.run();
                }
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    try {
                        key.interestOps(0);
                        ((Readiness) key.attachment()).raise();
                    } catch (CancelledKeyException e) {
                        // closed meanwhile
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("readiness watcher: {}", e.toString());
            }
        }
    }

    private static final class Holder {
        static final ReadinessWatcher WATCHER;

        static {
            try {
                WATCHER = new ReadinessWatcher();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the selector that watches channels' readiness", e);
            }
        }
    }
}
