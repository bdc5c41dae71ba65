package io.qsockets.impl.dccp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Writing and reading a packet with many options allocates nothing once the flyweights exist. */
@Timeout(60)
class AllocationTest {

    private static final byte[] PREFERENCES = {2, 3};
    private static final byte[] COOKIE = new byte[40];

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1500);
    private final ByteBuffer payload = ByteBuffer.allocate(1000);
    private final DccpHeaderWriter writer = new DccpHeaderWriter();
    private final PacketDigest reader = new PacketDigest();

    /**
     * The current thread's allocated-bytes counter of {@code com.sun.management.ThreadMXBean},
     * reached reflectively because the test sources are compiled inside the module, which does not
     * read {@code java.management}; {@code null} where the JVM does not offer it.
     */
    private static LongSupplier allocatedBytesCounter() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            if (!type.isInstance(bean) || !(Boolean) type.getMethod("isThreadAllocatedMemoryEnabled").invoke(bean)) {
                return null;
            }
            Method counter = type.getMethod("getCurrentThreadAllocatedBytes");
            return () -> {
                try {
                    return (Long) counter.invoke(bean);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Test
    void writeAndReadAllocateNothingPerPacket() {
        LongSupplier allocated = allocatedBytesCounter();
        Assumptions.assumeTrue(allocated != null, "this JVM does not count allocated bytes per thread");
        long sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += roundTrip(i);
        }
        int packets = 20_000;
        long before = allocated.getAsLong();
        for (int i = 0; i < packets; i++) {
            sink += roundTrip(i);
        }
        long bytes = allocated.getAsLong() - before;
        System.out.printf("%d packets written and read: %d bytes allocated (digest %x)%n", packets, bytes, sink);
        assertThat(bytes).as("bytes allocated for %d packets", packets).isLessThan(packets / 10);
    }

    private long roundTrip(int i) {
        writer.wrap(buffer, 0, buffer.capacity()).begin(DccpPacketType.DATA_ACK, (i & 1) == 0)
                .ports(5001, 40123).sequenceNumber(i).ackNumber(i / 2);
        writer.options().ndpCount(i & 7).timestamp(i).timestampEcho(i - 1L & 0xFFFFFFFFL, i & 0xFFF)
                .elapsedTime(i & 0x3FFFF).changeL(FeatureNumber.CCID, PREFERENCES)
                .confirmR(FeatureNumber.SEQUENCE_WINDOW, 100 + (i & 0xFF)).initCookie(COOKIE, 0, COOKIE.length)
                .beginAckVector(0).ackVectorRun(AckVectorState.RECEIVED, 3 + (i & 31))
                .ackVectorRun(AckVectorState.NOT_YET_RECEIVED, 1).ackVectorRun(AckVectorState.RECEIVED, 70).endVector()
                .beginDataDropped().normalBlocks(2).dropBlocks(DropCode.RECEIVE_BUFFER, 1).endVector()
                .slowReceiver().dataChecksum(payload, 0, 200);
        int length = writer.finish(200);
        buffer.put(writer.dataOffset() + (i & 127), (byte) i);
        return reader.digest(buffer, 0, length);
    }
}
