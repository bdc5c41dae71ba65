package io.qsockets.examples.demo;

import io.qsockets.examples.kernel.NetworkNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kernel run's perturbation: a bulk transfer from the sending host to the receiving host over
 * {@value #CONNECTIONS} TCP connections (as a download manager or a parallel FTP opens them),
 * through ordinary sockets the engine knows nothing of, written as fast as TCP takes them. They
 * share the sending device's default HTB class with the unmanaged stream, as the paper's FTP
 * transfer shared the qdisc. Started and stopped once.
 */
final class TcpBulkFlow implements Bed.Perturbation {
    static final int CONNECTIONS = 4;
    private static final int CHUNK = 64 * 1024;

    private final ServerSocket server;
    private final Socket[] clients;
    private final Socket[] accepted;
    private final AtomicLong receivedBytes = new AtomicLong();
    private final Thread[] sending;
    private final Thread[] draining;
    private volatile boolean active;

    private TcpBulkFlow(ServerSocket server, Socket[] clients, Socket[] accepted) {
        this.server = server;
        this.clients = clients;
        this.accepted = accepted;
        this.sending = new Thread[clients.length];
        this.draining = new Thread[clients.length];
        for (int i = 0; i < clients.length; i++) {
            Socket out = clients[i];
            Socket in = accepted[i];
            sending[i] = new Thread(() -> send(out), "tcp-bulk-sender-" + i);
            sending[i].setDaemon(true);
            draining[i] = new Thread(() -> drain(in), "tcp-bulk-receiver-" + i);
            draining[i].setDaemon(true);
            draining[i].start();
        }
    }

    /** Connects clients in {@code from} to a server in {@code to} listening on {@code toAddress}. */
    static TcpBulkFlow open(NetworkNamespace from, NetworkNamespace to, String toAddress) {
        ServerSocket server = to.call(() -> new ServerSocket(0, CONNECTIONS, InetAddress.getByName(toAddress)));
        Socket[] clients = new Socket[CONNECTIONS];
        Socket[] accepted = new Socket[CONNECTIONS];
        try {
            InetSocketAddress target = new InetSocketAddress(toAddress, server.getLocalPort());
            server.setSoTimeout(5_000);
            for (int i = 0; i < CONNECTIONS; i++) {
                clients[i] = from.call(() -> {
                    Socket s = new Socket();
                    s.connect(target, 5_000);
                    return s;
                });
                accepted[i] = server.accept();
            }
            return new TcpBulkFlow(server, clients, accepted);
        } catch (IOException | RuntimeException e) {
            for (int i = 0; i < CONNECTIONS; i++) {
                closeQuietly(clients[i]);
                closeQuietly(accepted[i]);
            }
            closeQuietly(server);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    @Override
    public void start() {
        active = true;
        for (Thread t : sending) {
            t.start();
        }
    }

    @Override
    public void stop() throws InterruptedException {
        active = false;
        for (Socket c : clients) {
            closeQuietly(c); // ends a blocked write too
        }
        for (Thread t : sending) {
            if (t.isAlive()) {
                t.join(5_000);
            }
        }
    }

    long receivedBytes() {
        return receivedBytes.get();
    }

    private void send(Socket client) {
        byte[] chunk = new byte[CHUNK];
        try (OutputStream out = client.getOutputStream()) {
            while (active) {
                out.write(chunk);
            }
        } catch (IOException e) {
            // stopped: the socket was closed under the write
        }
    }

    private void drain(Socket accepted) {
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = accepted.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                receivedBytes.addAndGet(n);
            }
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        for (Socket s : accepted) {
            closeQuietly(s);
        }
        closeQuietly(server);
        for (Thread t : draining) {
            t.join(2_000);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing
        }
    }
}
