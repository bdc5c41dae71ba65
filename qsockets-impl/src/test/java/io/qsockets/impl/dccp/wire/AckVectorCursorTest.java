package io.qsockets.impl.dccp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ack Vector (RFC 4340 §11.4) and Data Dropped (§11.7) cells: encoding, and walking back from the ackno. */
@Timeout(10)
class AckVectorCursorTest {

    private final ByteBuffer buf = ByteBuffer.allocate(2048);
    private final OptionsWriter writer = new OptionsWriter().wrap(buf, 0, 2048, DccpPacketType.ACK);
    private final OptionCursor options = new OptionCursor();
    private final AckVectorCursor vector = new AckVectorCursor();
    private final DataDroppedCursor dropped = new DataDroppedCursor();

    private List<String> ackVectorCells(long ackno) {
        List<String> cells = new ArrayList<>();
        vector.start(ackno);
        options.reset(buf, 0, writer.length(), true);
        while (options.next() == OptionStatus.OPTION) {
            if (vector.load(options)) {
                while (vector.next()) {
                    cells.add(vector.state() + " " + vector.highSeqno() + ".." + vector.lowSeqno() + " n" + vector.nonce());
                }
            }
        }
        return cells;
    }

    private List<String> dataDroppedBlocks(long ackno) {
        List<String> blocks = new ArrayList<>();
        dropped.start(ackno);
        options.reset(buf, 0, writer.length(), true);
        while (options.next() == OptionStatus.OPTION) {
            if (dropped.load(options)) {
                while (dropped.next()) {
                    blocks.add((dropped.isDropBlock() ? dropped.dropCode().name() : "NORMAL")
                            + " " + dropped.highSeqno() + ".." + dropped.lowSeqno());
                }
            }
        }
        return blocks;
    }

    @Test
    void decodesTheAckVectorExampleOfSection11_4() {
        writer.ackVector(0, new byte[] {0, (byte) 192, 3, 64, 5}, 0, 5);
        assertThat(ackVectorCells(100)).containsExactly(
                "RECEIVED 100..100 n0",
                "NOT_YET_RECEIVED 99..99 n0",
                "RECEIVED 98..95 n0",
                "RECEIVED_ECN_MARKED 94..94 n0",
                "RECEIVED 93..88 n0");
    }

    @Test
    void encodesRunsAsTheExampleOfSection11_4() {
        writer.beginAckVector(1)
                .ackVectorRun(AckVectorState.RECEIVED, 1)
                .ackVectorRun(AckVectorState.NOT_YET_RECEIVED, 1)
                .ackVectorRun(AckVectorState.RECEIVED, 4)
                .ackVectorRun(AckVectorState.RECEIVED_ECN_MARKED, 1)
                .ackVectorRun(AckVectorState.RECEIVED, 6)
                .endVector();
        byte[] out = new byte[writer.length()];
        buf.get(0, out);
        assertThat(out).containsExactly(39, 7, 0, 192, 3, 64, 5);
        assertThat(ackVectorCells(100)).last().isEqualTo("RECEIVED 93..88 n1");
    }

    @Test
    void longRunsSplitIntoCellsOf64AndOptionsOf253Cells() {
        // 253 * 64 = 16192 packets fit one option (§11.4); one more spills into a second option
        writer.beginAckVector(0).ackVectorRun(AckVectorState.RECEIVED, 16192 + 1).endVector();
        assertThat(writer.length()).isEqualTo(255 + 3);
        List<String> cells = ackVectorCells(20000);
        assertThat(cells).hasSize(254);
        assertThat(cells.get(0)).isEqualTo("RECEIVED 20000..19937 n0");
        assertThat(cells.get(252)).isEqualTo("RECEIVED " + (20000 - 252 * 64) + ".." + (20000 - 253 * 64 + 1) + " n0");
        assertThat(cells.get(253)).as("the second option continues").isEqualTo("RECEIVED 3808..3808 n0");
    }

    @Test
    void rawCellsSplitToo() {
        byte[] cells = new byte[300];
        writer.ackVector(0, cells, 0, 300);
        assertThat(ackVectorCells(1000)).hasSize(300).last().isEqualTo("RECEIVED 701..701 n0");
    }

    @Test
    void theWalkWrapsBelowZero() {
        writer.beginAckVector(0).ackVectorRun(AckVectorState.RECEIVED, 3).ackVectorRun(AckVectorState.NOT_YET_RECEIVED, 2)
                .endVector();
        assertThat(ackVectorCells(1)).containsExactly(
                "RECEIVED 1.." + SequenceNumbers.MAX + " n0",
                "NOT_YET_RECEIVED " + (SequenceNumbers.MAX - 1) + ".." + (SequenceNumbers.MAX - 2) + " n0");
    }

    @Test
    void decodesTheDataDroppedExampleOfSection11_7() {
        writer.dataDropped(new byte[] {0, (byte) 160, 3, (byte) 162}, 0, 4);
        // The RFC's prose says "Packets 95, 94, and 93" for the last block; the run after 98..95 is 94..92.
        assertThat(dataDroppedBlocks(100)).containsExactly(
                "NORMAL 100..100", "RECEIVE_BUFFER 99..99", "NORMAL 98..95", "RECEIVE_BUFFER 94..92");
    }

    @Test
    void encodesDataDroppedBlocks() {
        writer.beginDataDropped().normalBlocks(1).dropBlocks(DropCode.RECEIVE_BUFFER, 1).normalBlocks(4)
                .dropBlocks(DropCode.RECEIVE_BUFFER, 3).endVector();
        byte[] out = new byte[writer.length()];
        buf.get(0, out);
        assertThat(out).containsExactly(40, 6, 0, 160, 3, 162);
        writer.wrap(buf, 0, 2048, DccpPacketType.ACK).beginDataDropped().normalBlocks(129)
                .dropBlocks(DropCode.DELIVERED_CORRUPT, 17).endVector();
        assertThat(dataDroppedBlocks(1000)).containsExactly(
                "NORMAL 1000..873", "NORMAL 872..872", "DELIVERED_CORRUPT 871..856", "DELIVERED_CORRUPT 855..855");
    }

    @Test
    void vectorCallsOutOfOrderAreRejected() {
        assertThatThrownBy(() -> writer.ackVectorRun(AckVectorState.RECEIVED, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("beginAckVector");
        assertThatThrownBy(writer::endVector).isInstanceOf(IllegalStateException.class);
        writer.beginAckVector(0);
        assertThatThrownBy(writer::endVector).hasMessageContaining("at least one cell");
        assertThatThrownBy(() -> writer.normalBlocks(1)).hasMessageContaining("beginDataDropped");
        assertThatThrownBy(() -> writer.timestamp(1)).hasMessageContaining("endVector");
        assertThatThrownBy(() -> writer.ackVectorRun(AckVectorState.RECEIVED, 0)).hasMessageContaining("packets");
        assertThatThrownBy(() -> writer.beginAckVector(2)).hasMessageContaining("nonce");
        assertThatThrownBy(() -> writer.ackVector(0, new byte[0], 0, 0)).hasMessageContaining("at least one cell");
        assertThatThrownBy(() -> vector.start(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyValidOptionsOfItsKindAreLoaded() {
        writer.wrap(buf, 0, 100, null).timestamp(5);
        buf.put(6, (byte) OptionType.ACK_VECTOR_0).put(7, (byte) 2);
        vector.start(10);
        options.reset(buf, 0, 8, true);
        options.next();
        assertThat(vector.load(options)).isFalse();
        options.next();
        assertThat(vector.load(options)).as("empty Ack Vector").isFalse();
        assertThat(vector.next()).isFalse();
        assertThat(dropped.load(options)).isFalse();
    }
}
