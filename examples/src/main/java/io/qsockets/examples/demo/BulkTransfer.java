package io.qsockets.examples.demo;

import io.qsockets.BackPressure;
import io.qsockets.QSocket;
import io.qsockets.examples.ReceiveLoop;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The perturbation: a bulk transfer through the same engine as the streams under test, as the
 * papers' FTP transfer went through the same qdisc. Best effort (no period, no deadline), always
 * backlogged: its sender blocks on a full send queue of {@code backlog} datagrams, as a transfer
 * keeps a device queue full. Started and stopped once.
 */
final class BulkTransfer implements Bed.Perturbation {
    static final int DATAGRAM = 1400;

    private final QSocket sender;
    private final DatagramSocket receiver;
    private final DatagramPacket packet;
    private final AtomicLong receivedBytes = new AtomicLong();
    private final Thread sending;
    private final Thread draining;
    private volatile boolean active;
    private volatile boolean open = true;

    BulkTransfer(Testbed bed, int backlog) throws IOException {
        receiver = bed.receiver();
        sender = bed.managed(bed.params().backPressure(BackPressure.BLOCK).sendQueueCapacity(backlog).build());
        packet = new DatagramPacket(new byte[DATAGRAM], DATAGRAM, bed.route(sender, receiver));
        sending = new Thread(this::send, "bulk-sender");
        sending.setDaemon(true);
        draining = ReceiveLoop.start("bulk-receiver", receiver, () -> open,
                (p, now) -> receivedBytes.addAndGet(p.getLength()));
    }

    @Override
    public void start() {
        active = true;
        sending.start();
    }

    /** Stops offering; the backlog is discarded (the transfer ends). */
    @Override
    public void stop() throws InterruptedException {
        active = false;
        if (sending.isAlive()) {
            sending.join(5_000);
        }
        sender.close();
    }

    long receivedBytes() {
        return receivedBytes.get();
    }

    private void send() {
        try {
            while (active) {
                sender.send(packet);
            }
        } catch (IOException e) {
            active = false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        open = false;
        draining.join(2_000);
        receiver.close();
    }
}
