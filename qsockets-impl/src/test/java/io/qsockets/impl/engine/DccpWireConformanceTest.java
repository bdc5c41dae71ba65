package io.qsockets.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.Transport;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.OptionType;
import io.qsockets.impl.dccp.wire.TsharkJudge;
import io.qsockets.linkemu.LinkProfile;
import io.qsockets.linkemu.UdpLinkEmulator;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every packet of a real connection between two QSockets on loopback — handshake with feature
 * negotiation, data both ways, acknowledgements with Ack Vectors, close and the closing Reset —
 * captured on the wire by the link emulator and judged by Wireshark's DCCP dissector: no
 * malformed packet and no warning or error except the zero checksum RFC 6773 §3.3 requires.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DccpWireConformanceTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aWholeConnectionDecodesCleanlyInWireshark() throws Exception {
        Optional<TsharkJudge> judge = TsharkJudge.locate();
        assumeTrue(judge.isPresent(), TsharkJudge.unavailableReason());
        List<byte[]> wire = new CopyOnWriteArrayList<>();
        CountDownLatch resetSeen = new CountDownLatch(1);
        Engine engine = QSockets.init(EngineConfig.builder().name("dccp-wire").build());
        QosParams params = QosParams.builder().engine(engine).transport(Transport.DCCP).build();
        try (QSocket b = new QSocket(new InetSocketAddress(LOOPBACK, 0), params)) {
            QSocket a = new QSocket(new InetSocketAddress(LOOPBACK, 0), params);
            a.setSoTimeout(5_000);
            b.setSoTimeout(5_000);
            try (UdpLinkEmulator link = UdpLinkEmulator.builder().aToB(LinkProfile.perfect())
                    .bToA(LinkProfile.perfect()).wireTap(e -> {
                        byte[] bytes = e.bytes();
                        wire.add(bytes);
                        if (typeOf(bytes) == DccpPacketType.RESET.code()) {
                            resetSeen.countDown();
                        }
                    }).start()) {
                UdpLinkEmulator.Route route = link.addRoute((InetSocketAddress) a.getLocalSocketAddress(),
                        (InetSocketAddress) b.getLocalSocketAddress());
                InetSocketAddress replyTo = null;
                for (int i = 0; i < 20; i++) {
                    byte[] d = ("to b " + i).getBytes();
                    a.send(new DatagramPacket(d, d.length, route.relayForA()));
                }
                for (int i = 0; i < 20; i++) {
                    DatagramPacket p = new DatagramPacket(new byte[100], 100);
                    b.receive(p);
                    assertThat(new String(p.getData(), 0, p.getLength())).isEqualTo("to b " + i);
                    replyTo = (InetSocketAddress) p.getSocketAddress();
                }
                for (int i = 0; i < 5; i++) {
                    byte[] d = ("to a " + i).getBytes();
                    b.send(new DatagramPacket(d, d.length, replyTo));
                }
                for (int i = 0; i < 5; i++) {
                    DatagramPacket p = new DatagramPacket(new byte[100], 100);
                    a.receive(p);
                    assertThat(new String(p.getData(), 0, p.getLength())).isEqualTo("to a " + i);
                }
                a.close(); // the client closes: Close, answered by Reset(Closed)
                assertThat(resetSeen.await(10, TimeUnit.SECONDS)).as("a Reset on the wire").isTrue();
            }
        } finally {
            engine.close();
        }
        Set<Integer> types = wire.stream().map(DccpWireConformanceTest::typeOf).collect(Collectors.toCollection(TreeSet::new));
        assertThat(types).contains(DccpPacketType.REQUEST.code(), DccpPacketType.RESPONSE.code(),
                DccpPacketType.ACK.code(), DccpPacketType.CLOSE.code(), DccpPacketType.RESET.code());
        assertThat(types).containsAnyOf(DccpPacketType.DATA.code(), DccpPacketType.DATA_ACK.code());

        TsharkJudge.Verdict verdict = judge.get().judge(new ArrayList<>(wire));
        assertThat(verdict.malformedFrames()).as("malformed frames").isEmpty();
        assertThat(verdict.problems()).as("expert warnings and errors").isEmpty();
        assertThat(verdict.decoded()).hasSize(wire.size());
        Set<Integer> options = new TreeSet<>();
        verdict.decoded().forEach(d -> options.addAll(d.optionTypes()));
        assertThat(options).as("options tshark decoded").contains(OptionType.CHANGE_L, OptionType.CONFIRM_R,
                OptionType.INIT_COOKIE, OptionType.ACK_VECTOR_0, OptionType.TIMESTAMP);
    }

    /** The DCCP type of a packet: bits 1-4 of byte 8 (RFC 4340 §5.1). */
    private static int typeOf(byte[] packet) {
        return packet.length > 8 ? (packet[8] >> 1) & 0x0f : -1;
    }
}
