package io.qsockets.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class UdpRowTest {
    private static final String UDP = """
               sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
              123: 0100007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 15123 2 0000000000000000 0
              456: 0101A8C0:C350 0201A8C0:1F90 01 00000000:00000000 00:00000000 00000000     0        0 98765 2 0000000000000000 3
            """;
    private static final String UDP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
             3690: 00000000000000000000000001000000:EE42 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5596786 2 0000000081ee256f 0
            12739: 0000000000000000FFFF00000100007F:919B 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5596787 2 0000000007155536 0
            """;

    @BeforeAll
    static void littleEndianHost() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "the sample tables were printed by a little-endian kernel");
    }

    @Test
    void parsesIpv4RowsWithAddressesInHostOrder() throws Exception {
        List<UdpRow> rows = UdpRow.parseTable(UDP, false);

        assertThat(rows).hasSize(2);
        UdpRow dns = rows.get(0);
        assertThat(dns.local()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(dns.localPort()).isEqualTo(53);
        assertThat(dns.inode()).isEqualTo(15123);
        assertThat(dns.connected()).isFalse();
        UdpRow connected = rows.get(1);
        assertThat(connected.local()).isEqualTo(InetAddress.getByName("192.168.1.1"));
        assertThat(connected.localPort()).isEqualTo(50000);
        assertThat(connected.remote()).isEqualTo(InetAddress.getByName("192.168.1.2"));
        assertThat(connected.remotePort()).isEqualTo(8080);
        assertThat(connected.connected()).isTrue();
        assertThat(connected.ipv6()).isFalse();
    }

    @Test
    void parsesIpv6RowsAndTurnsMappedAddressesIntoIpv4() throws Exception {
        List<UdpRow> rows = UdpRow.parseTable(UDP6, true);

        assertThat(rows).extracting(UdpRow::inode).containsExactly(5596786L, 5596787L);
        assertThat(rows.get(0).local()).isEqualTo(InetAddress.getByName("::1"));
        assertThat(rows.get(0).localPort()).isEqualTo(0xEE42);
        assertThat(rows.get(1).local()).isInstanceOf(Inet4Address.class)
                .isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(rows.get(1).remote().isAnyLocalAddress()).isTrue();
        assertThat(rows).allMatch(UdpRow::ipv6);
    }

    @Test
    void aHeaderAloneIsAnEmptyTable() {
        assertThat(UdpRow.parseTable(UDP.lines().findFirst().orElseThrow() + "\n", false)).isEmpty();
    }

    @Test
    void aTruncatedRowIsReportedWithItsText() {
        String table = UDP.lines().findFirst().orElseThrow() + "\n  7: 0100007F:0035 00000000:0000 07\n";

        assertThatThrownBy(() -> UdpRow.parseTable(table, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7: 0100007F:0035").hasMessageContaining("fewer than 10 columns");
    }

    @Test
    void aMalformedAddressIsReported() {
        String table = UDP.lines().findFirst().orElseThrow()
                + "\n  7: 0100007:0035 00000000:0000 07 0:0 0:0 0 0 0 42 2 0 0\n";

        assertThatThrownBy(() -> UdpRow.parseTable(table, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0100007");
    }
}
