package io.qsockets.impl.facade;

import java.net.DatagramPacket;

/**
 * Remembers the buffer length of the packet a socket last received into. A {@link DatagramPacket}
 * keeps its buffer length apart from the length of the last datagram, and only the JDK can read
 * it: so that a packet reused for receive after receive is not truncated to the previous
 * datagram's length, the socket remembers the room it saw until the application changes the
 * packet. Thread-safe.
 */
final class PacketBuffers {
    private DatagramPacket last;
    private byte[] lastData;
    private int lastLength = -1;
    private int lastRoom;

    /** @return how many bytes a datagram received into {@code p} may take */
    synchronized int roomOf(DatagramPacket p) {
        if (p == last && p.getData() == lastData && p.getLength() == lastLength) {
            return lastRoom;
        }
        return p.getLength();
    }

    /** Records that {@code n} bytes were received into {@code p}, whose room was {@code room}. */
    synchronized void filled(DatagramPacket p, int n, int room) {
        p.setLength(n);
        last = p;
        lastData = p.getData();
        lastLength = n;
        lastRoom = room;
    }
}
