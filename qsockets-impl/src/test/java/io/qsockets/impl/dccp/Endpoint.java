package io.qsockets.impl.dccp;

import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.ParseResult;
import io.qsockets.impl.dccp.wire.ResetCode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** One side of a test network: a connection (and for servers a listener) with a recording owner. */
final class Endpoint implements ConnectionOwner {

    final String name;
    final InetSocketAddress address;
    final int port;
    final Net net;
    Endpoint peerEndpoint;
    DccpListener listener;
    DccpConnection connection;
    final ByteBuffer scratch = ByteBuffer.allocate(2048);
    final DccpHeader header = new DccpHeader();

    final List<String> data = new ArrayList<>();
    final List<Long> acked = new ArrayList<>();
    final List<Long> lost = new ArrayList<>();
    int opened;
    int writable;
    int closed;
    ResetCode closeReason;
    int unmatched;
    /** Whether the application's receive queue is full: arriving data is then dropped. */
    boolean refuseData;

    Endpoint(Net net, String name, InetSocketAddress address, int port) {
        this.net = net;
        this.name = name;
        this.address = address;
        this.port = port;
    }

    /** A packet arrived for this endpoint. */
    void onDatagram(ByteBuffer packet) {
        header.wrap(packet, 0, packet.limit());
        if (header.validate() != ParseResult.OK) {
            return;
        }
        if (connection != null && connection.state() != ConnectionState.CLOSED) {
            connection.receive(header, net.now);
        } else if (listener != null) {
            DccpConnection c = listener.onPacket(header, peerEndpoint.address, net.now);
            if (c != null) {
                connection = c;
            }
        } else {
            unmatched++;
        }
    }

    @Override
    public ByteBuffer packetBuffer() {
        return scratch.clear();
    }

    @Override
    public void transmit(ByteBuffer packet, InetSocketAddress peer) {
        net.transmit(this, packet);
    }

    @Override
    public boolean delivered(DccpConnection c, ByteBuffer d, long seqno, long now) {
        if (refuseData) {
            return false;
        }
        byte[] b = new byte[d.remaining()];
        d.get(b);
        data.add(new String(b, java.nio.charset.StandardCharsets.UTF_8));
        return true;
    }

    @Override
    public void acked(DccpConnection c, long seqno) {
        acked.add(seqno);
    }

    @Override
    public void lost(DccpConnection c, long seqno) {
        lost.add(seqno);
    }

    @Override
    public void opened(DccpConnection c) {
        opened++;
    }

    @Override
    public void writable(DccpConnection c) {
        writable++;
    }

    @Override
    public void closed(DccpConnection c, ResetCode reasonOrNull) {
        closed++;
        closeReason = reasonOrNull;
    }

    long send(String text) {
        return connection.sendData(ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), net.now);
    }

    ConnectionState state() {
        return connection.state();
    }
}
