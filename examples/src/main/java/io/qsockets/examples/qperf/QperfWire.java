package io.qsockets.examples.qperf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * qperf datagrams: magic {@code QPRF} (4 bytes), kind (1), then for DATA the sequence number (8),
 * the send time and the absolute deadline in µs since the epoch (8 each; deadline 0 for none);
 * END carries the count of DATA datagrams sent (8); REPORT carries the server's report as
 * {@code key=value} lines. Big-endian.
 */
final class QperfWire {
    static final int MAGIC = 0x51505246;
    static final byte DATA = 0;
    static final byte END = 1;
    static final byte REPORT = 2;
    static final int DATA_HEADER = 29;

    private QperfWire() {
    }

    static void data(byte[] buf, long seq, long sentMicros, long deadlineMicros) {
        ByteBuffer.wrap(buf).putInt(MAGIC).put(DATA).putLong(seq).putLong(sentMicros).putLong(deadlineMicros);
    }

    static int end(byte[] buf, long sent) {
        ByteBuffer.wrap(buf).putInt(MAGIC).put(END).putLong(sent);
        return 13;
    }

    static byte[] report(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + body.length).putInt(MAGIC).put(REPORT).put(body).array();
    }

    /** @return the kind, or -1 if the datagram is not a qperf datagram */
    static int kind(byte[] buf, int offset, int length) {
        if (length < 5 || ByteBuffer.wrap(buf, offset, length).getInt() != MAGIC) {
            return -1;
        }
        int k = buf[offset + 4];
        if (k == DATA && length < DATA_HEADER || k == END && length < 13 || k < DATA || k > REPORT) {
            return -1;
        }
        return k;
    }

    static long long1(byte[] buf, int offset) {
        return ByteBuffer.wrap(buf).getLong(offset + 5);
    }

    static long long2(byte[] buf, int offset) {
        return ByteBuffer.wrap(buf).getLong(offset + 13);
    }

    static long long3(byte[] buf, int offset) {
        return ByteBuffer.wrap(buf).getLong(offset + 21);
    }

    static String text(byte[] buf, int offset, int length) {
        return new String(buf, offset + 5, length - 5, StandardCharsets.UTF_8);
    }
}
