package io.qsockets.impl.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.qsockets.impl.sendqueue.Deduplicator;
import io.qsockets.impl.sendqueue.PayloadHeader;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the payload header that precedes application data in DCCP-Data and
 * DataAck packets, and of the receiver's de-duplication of what it carries.
 */
@Timeout(FuzzTargets.TIMEOUT_SECONDS)
class PayloadHeaderFuzzTest {

    private static final int PLACED_AT = 5;
    private static final int GUARD = 7;
    private static final int DEDUP_WINDOW = 16;

    private final PayloadHeader header = new PayloadHeader();
    private final PayloadHeader copy = new PayloadHeader();

    /**
     * Any bytes, read as a header followed by payload: {@code wrapForRead} never throws, the result
     * and every field agree whether the bytes sit alone in a heap or direct buffer or between
     * readable guard bytes, fields stay in their documented ranges, and a header with a valid
     * segment id written back from its fields reads the same. Then every 24-byte slice is read as
     * one header of a stream (ids folded to a few bits so they collide) into a {@link Deduplicator}:
     * no (id, revision) is delivered twice, no revision older than one delivered is delivered, and
     * the deduplicator's state stays the size it was built with.
     */
    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void parse(byte[] packet) {
        String alone = read(ByteBuffer.wrap(packet), 0, packet.length);
        assertThat(read(ByteBuffer.allocateDirect(packet.length).put(0, packet), 0, packet.length)).isEqualTo(alone);
        assertThat(read(FuzzTargets.placed(packet, PLACED_AT, GUARD, (byte) 0), PLACED_AT, packet.length)).isEqualTo(alone);
        assertThat(read(FuzzTargets.placed(packet, PLACED_AT, GUARD, (byte) 0xFF), PLACED_AT, packet.length)).isEqualTo(alone);
        if (header.wrapForRead(ByteBuffer.wrap(packet), 0, packet.length) == PayloadHeader.OK && header.segmentId() >= 0) {
            checkRoundTrip();
        }
        deduplicate(packet);
    }

    private String read(ByteBuffer buffer, int offset, int length) {
        int result = header.wrapForRead(buffer, offset, length);
        assertThat(result).isIn(PayloadHeader.OK, PayloadHeader.ERR_TRUNCATED, PayloadHeader.ERR_VERSION);
        if (result != PayloadHeader.OK) {
            return Integer.toString(result);
        }
        assertThat(header.version()).isEqualTo(PayloadHeader.VERSION);
        assertThat(header.revision()).isBetween(0, PayloadHeader.MAX_REVISION);
        assertThat(header.frameId()).isBetween(PayloadHeader.NO_FRAME, PayloadHeader.FRAME_ID_MASK);
        assertThat(header.remainingLifetimeMicros()).isBetween(0L, PayloadHeader.NO_LIFETIME);
        assertThat(header.senderTimestampMicros()).isBetween(0L, 0xFFFF_FFFFL);
        if (header.frameId() == PayloadHeader.NO_FRAME) {
            assertThat(header.frameStart() || header.frameEnd()).isFalse();
        }
        return fields(header) + " " + header.flags() + " " + header.isUpdate();
    }

    private static String fields(PayloadHeader h) {
        return h.segmentId() + " " + h.revision() + " " + h.isReliable() + " " + h.frameId() + " " + h.frameStart()
                + " " + h.frameEnd() + " " + h.senderTimestampMicros() + " " + h.remainingLifetimeMicros();
    }

    private void checkRoundTrip() {
        long now = header.senderTimestampMicros() * 1000L;
        long lifetime = header.remainingLifetimeMicros();
        long deadline = lifetime == PayloadHeader.NO_LIFETIME ? Long.MAX_VALUE : now + lifetime * 1000L;
        ByteBuffer out = ByteBuffer.allocate(PayloadHeader.LENGTH);
        copy.write(out, 0, header.segmentId(), header.revision(), header.isReliable(), header.frameId(),
                header.frameStart(), header.frameEnd(), now, deadline);
        assertThat(copy.wrapForRead(out, 0, PayloadHeader.LENGTH)).isEqualTo(PayloadHeader.OK);
        assertThat(fields(copy)).isEqualTo(fields(header));
        assertThat(copy.isUpdate()).isEqualTo(header.revision() > 0);
    }

    private void deduplicate(byte[] packet) {
        Deduplicator dedup = new Deduplicator(DEDUP_WINDOW);
        long footprint = Footprint.of(dedup);
        Set<String> delivered = new HashSet<>();
        int[] newest = new int[1 << 6];
        Arrays.fill(newest, -1);
        ByteBuffer stream = ByteBuffer.wrap(packet);
        for (int at = 0; at + PayloadHeader.LENGTH <= packet.length; at += PayloadHeader.LENGTH) {
            if (header.wrapForRead(stream, at, PayloadHeader.LENGTH) != PayloadHeader.OK) {
                continue;
            }
            int id = (int) (header.segmentId() & 0x3F);
            int revision = header.revision() & 0x7;
            Deduplicator.Outcome outcome = dedup.accept(id, revision);
            if (outcome.deliver()) {
                assertThat(delivered.add(id + "/" + revision)).as("%d/%d delivered twice", id, revision).isTrue();
                assertThat(revision).as("revision of %d after %d", id, newest[id]).isGreaterThan(newest[id]);
                newest[id] = revision;
            }
        }
        assertThat(Footprint.of(dedup)).isEqualTo(footprint);
    }
}
