package io.qsockets.impl.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.QSocket;
import io.qsockets.QosParams;
import io.qsockets.Transport;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How large a datagram the DCCP transport carries, from the outside: by default what fits a
 * 1500-byte path without IP fragmentation, with a clear refusal beyond it, and more when the
 * application says the path carries more.
 */
@Timeout(30)
class DccpPacketSizeTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** The DCCP header with this stack's options, and the payload header. */
    private static final int OVERHEAD = 79;

    private static QSocket open(QosParams params) throws SocketException {
        QSocket s = new QSocket(new InetSocketAddress(LOOPBACK, 0), params);
        s.setSoTimeout(10_000);
        return s;
    }

    private static byte[] receive(QSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
        s.receive(p);
        return java.util.Arrays.copyOf(p.getData(), p.getLength());
    }

    @Test
    void byDefaultTheLargestDatagramFitsA1500BytePathAndOneByteMoreIsRefusedNamingTheLimit() throws Exception {
        QosParams dccp = QosParams.builder().transport(Transport.DCCP).build();
        assertThat(dccp.maxPacketSize()).isEqualTo(QosParams.DEFAULT_MAX_PACKET_SIZE).isEqualTo(1452);
        int largest = QosParams.DEFAULT_MAX_PACKET_SIZE - OVERHEAD;
        try (QSocket a = open(dccp); QSocket b = open(dccp)) {
            byte[] first = new byte[largest];
            first[largest - 1] = 42;
            a.send(new DatagramPacket(first, largest, b.getLocalSocketAddress())); // on a new connection: PARTOPEN
            assertThat(receive(b)).isEqualTo(first);
            a.send(new DatagramPacket(first, largest, b.getLocalSocketAddress()));
            assertThat(receive(b)).isEqualTo(first);
            assertThatThrownBy(() -> a.send(new DatagramPacket(new byte[largest + 1], largest + 1,
                    b.getLocalSocketAddress()))).isInstanceOf(SocketException.class)
                    .hasMessageContaining(Integer.toString(largest + 1)).hasMessageContaining(Integer.toString(largest))
                    .hasMessageContaining("maxPacketSize 1452");
        }
    }

    @Test
    void aPathThatCarriesMoreCarriesDatagramsUpToItsLimit() throws Exception {
        QosParams loopback = QosParams.builder().transport(Transport.DCCP).maxPacketSize(QosParams.MAX_PACKET_SIZE).build();
        try (QSocket a = open(loopback); QSocket b = open(loopback)) {
            byte[] big = new byte[QosParams.MAX_PACKET_SIZE - OVERHEAD];
            big[big.length - 1] = 7;
            a.send(new DatagramPacket(big, big.length, b.getLocalSocketAddress()));
            assertThat(receive(b)).isEqualTo(big);
        }
        assertThatThrownBy(() -> QosParams.builder().maxPacketSize(QosParams.MAX_PACKET_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65508").hasMessageContaining("65507");
    }
}
