package io.qsockets.impl.dccp.wire;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** CRC-32c (RFC 4340 §9.3, as SCTP) of a buffer range without allocating or moving the caller's view. */
final class Crc32c {

    private Crc32c() {
    }

    /**
     * The CRC-32c of {@code length} bytes of {@code buffer} from {@code offset}; the buffer's
     * position and limit are the same afterwards. The caller guarantees the range is within the
     * buffer's capacity.
     */
    static long compute(CRC32C crc, ByteBuffer buffer, int offset, int length) {
        crc.reset();
        if (length == 0) {
            return 0L;
        }
        if (buffer.hasArray()) {
            crc.update(buffer.array(), buffer.arrayOffset() + offset, length);
            return crc.getValue();
        }
        int position = buffer.position();
        int limit = buffer.limit();
        buffer.limit(offset + length);
        buffer.position(offset);
        crc.update(buffer);
        buffer.limit(limit);
        buffer.position(position);
        return crc.getValue();
    }
}
