package io.qsockets.impl.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.qsockets.impl.dccp.wire.AckVectorCursor;
import io.qsockets.impl.dccp.wire.DataDroppedCursor;
import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.OptionCursor;
import io.qsockets.impl.dccp.wire.OptionStatus;
import io.qsockets.impl.dccp.wire.PacketDigest;
import io.qsockets.impl.dccp.wire.ParseResult;
import io.qsockets.impl.dccp.wire.SequenceNumbers;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the DCCP read side: any byte string, parsed as a packet, goes
 * through every header accessor, every option through every typed accessor, and every Ack Vector
 * and Data Dropped cell, without an exception, and reads only the bytes it was given.
 */
@Timeout(FuzzTargets.TIMEOUT_SECONDS)
class WireFuzzTest {

    private static final int PLACED_AT = 7;
    private static final int GUARD = 9;

    private final PacketDigest digest = new PacketDigest();
    private final DccpHeader header = new DccpHeader();
    private final OptionCursor options = new OptionCursor();
    private final AckVectorCursor vector = new AckVectorCursor();
    private final DataDroppedCursor dropped = new DataDroppedCursor();

    /**
     * The packet is parsed four times: alone in a heap buffer and in a direct buffer of exactly
     * its size (a read past either end throws), and at an offset inside a bigger buffer whose
     * guard bytes before and after the packet are readable, once 0x00 and once 0xFF. All four
     * digests of everything read must agree, so no read strays outside the given range. Then the
     * structure the cursors report must lie inside the packet.
     */
    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void packetAndOptions(byte[] packet) {
        long alone = digest.digest(ByteBuffer.wrap(packet), 0, packet.length);
        ByteBuffer direct = ByteBuffer.allocateDirect(packet.length).put(0, packet);
        assertThat(digest.digest(direct, 0, packet.length)).as("direct buffer").isEqualTo(alone);
        assertThat(digest.digest(FuzzTargets.placed(packet, PLACED_AT, GUARD, (byte) 0x00), PLACED_AT, packet.length)).as("between 0x00 guards").isEqualTo(alone);
        assertThat(digest.digest(FuzzTargets.placed(packet, PLACED_AT, GUARD, (byte) 0xFF), PLACED_AT, packet.length)).as("between 0xFF guards").isEqualTo(alone);
        checkStructure(FuzzTargets.placed(packet, PLACED_AT, GUARD, (byte) 0x5A), packet.length);
    }

    private void checkStructure(ByteBuffer buffer, int length) {
        if (header.wrap(buffer, PLACED_AT, length).validate() != ParseResult.OK) {
            return;
        }
        int end = PLACED_AT + length;
        assertThat(header.optionsOffset()).isBetween(PLACED_AT + 12, header.dataOffset());
        assertThat(header.dataOffset() + header.dataLength()).isEqualTo(end);
        assertThat(header.optionsOffset() + header.optionsLength()).isEqualTo(header.dataOffset());
        long ackno = header.hasAckNumber() ? header.ackNumber() : 0;
        assertThat(SequenceNumbers.isValid(header.sequenceNumber())).isTrue();
        assertThat(SequenceNumbers.isValid(ackno)).isTrue();
        vector.start(ackno);
        dropped.start(ackno);
        int optionCount = 0;
        OptionStatus status;
        for (status = options.reset(header).next(); status == OptionStatus.OPTION; status = options.next()) {
            optionCount++;
            assertThat(optionCount).as("options in %d bytes", header.optionsLength()).isLessThanOrEqualTo(header.optionsLength());
            assertThat(options.optionOffset()).isGreaterThanOrEqualTo(header.optionsOffset());
            assertThat(options.optionOffset() + options.optionLength()).isLessThanOrEqualTo(header.dataOffset());
            assertThat(options.bodyOffset() + options.bodyLength()).isLessThanOrEqualTo(header.dataOffset());
            walkCells();
        }
        assertThat(options.next()).as("after %s", status).isEqualTo(OptionStatus.END);
    }

    private void walkCells() {
        if (vector.load(options)) {
            int cells = 0;
            while (vector.next()) {
                cells++;
                assertThat(SequenceNumbers.isValid(vector.lowSeqno()) && SequenceNumbers.isValid(vector.highSeqno())).isTrue();
                assertThat(SequenceNumbers.subtract(vector.highSeqno(), vector.lowSeqno())).isEqualTo(vector.runLength());
                assertThat(vector.state()).isNotNull();
            }
            assertThat(cells).isEqualTo(options.bodyLength());
        }
        if (dropped.load(options)) {
            int cells = 0;
            while (dropped.next()) {
                cells++;
                assertThat(SequenceNumbers.subtract(dropped.highSeqno(), dropped.lowSeqno())).isEqualTo(dropped.runLength());
            }
            assertThat(cells).isEqualTo(options.bodyLength());
        }
    }
}
