package io.qsockets.impl.dccp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our packets decode cleanly in Wireshark's DCCP dissector (DESIGN §9): no malformed packet, no
 * expert warning or error but the bad checksum that the zero Checksum field of RFC 6773 earns,
 * and the dissector reads the same type, sequence numbers and options we wrote. Skipped, with the
 * reason, when tshark is not installed.
 */
@Timeout(120)
class WireConformanceTest {

    private static TsharkJudge judge;

    @BeforeAll
    static void locateTshark() {
        judge = TsharkJudge.locate().orElse(null);
        if (judge == null) {
            System.err.println("WireConformanceTest skipped: " + TsharkJudge.unavailableReason());
        }
        Assumptions.assumeTrue(judge != null, TsharkJudge::unavailableReason);
    }

    @Test
    void everyPacketTypeWithRealisticOptionsDecodesCleanly() {
        List<SamplePackets.Sample> samples = SamplePackets.all();
        assertThat(samples.stream().map(SamplePackets.Sample::type).distinct()).hasSize(DccpPacketType.values().length);
        TsharkJudge.Verdict verdict = judge.judge(samples.stream().map(SamplePackets.Sample::bytes).collect(Collectors.toList()));

        assertThat(verdict.malformedFrames()).as(verdict.verboseText()).isEmpty();
        assertThat(verdict.problems()).as(verdict.verboseText()).isEmpty();
        assertThat(verdict.expertInfos()).as("the zero checksum of RFC 6773 is seen on every packet")
                .filteredOn(TsharkJudge.ExpertInfo::isDccpBadChecksum).hasSize(samples.size());
        assertThat(verdict.decoded()).hasSize(samples.size());
        OptionCursor cursor = new OptionCursor();
        for (int i = 0; i < samples.size(); i++) {
            SamplePackets.Sample s = samples.get(i);
            TsharkJudge.Decoded d = verdict.decoded().get(i);
            assertThat(d.type()).as(s.name()).isEqualTo(s.type().code());
            assertThat(d.extended()).as(s.name()).isEqualTo(s.extended());
            assertThat(d.seqno()).as(s.name()).isEqualTo(s.seqno());
            if (s.ackno() >= 0) {
                assertThat(d.ackno()).as(s.name()).isEqualTo(s.ackno());
            }
            assertThat(d.optionTypes()).as(s.name() + " options").isEqualTo(rawOptionTypes(cursor, s.bytes()));
        }
    }

    /** Every option byte sequence as the dissector lists it: Mandatory and Padding included. */
    private static List<Integer> rawOptionTypes(OptionCursor cursor, byte[] packet) {
        DccpHeader h = new DccpHeader();
        h.wrap(ByteBuffer.wrap(packet), 0, packet.length).validate();
        cursor.reset(h.buffer(), h.optionsOffset(), h.dataOffset(), false);
        List<Integer> types = new ArrayList<>();
        while (cursor.next() == OptionStatus.OPTION) {
            types.add(cursor.type());
        }
        return types;
    }

    @Test
    void theJudgeCatchesABrokenOption() {
        List<SamplePackets.Sample> samples = SamplePackets.all();
        byte[] data = samples.stream().filter(s -> s.name().equals("data")).findFirst().orElseThrow().bytes().clone();
        // the Timestamp after NDP Count(1) at 16..18 starts at 19: claim length 8 instead of 6
        assertThat(data[19]).isEqualTo((byte) OptionType.TIMESTAMP);
        data[20] = 8;
        TsharkJudge.Verdict verdict = judge.judge(List.of(data));
        assertThat(verdict.problems()).as(verdict.verboseText()).isNotEmpty();
        assertThat(verdict.problems().get(0).summary()).contains("Timestamp");
    }
}
