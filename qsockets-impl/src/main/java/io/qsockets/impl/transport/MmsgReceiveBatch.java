package io.qsockets.impl.transport;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Up to {@link #SLOTS} datagrams read from one socket in one Linux {@code recvmmsg} call, into
 * native memory laid out as its {@code mmsghdr} array. Each slot holds a whole UDP datagram.
 * Engine thread only.
 */
public final class MmsgReceiveBatch {
    /** Most datagrams one call reads. */
    public static final int SLOTS = 32;
    private static final int SLOT_BYTES = 65_536;
    private static final int MMSGHDR = 64;
    private static final int IOVEC = 16;
    private static final int SOCKADDR = 32;
    private static final int IOVECS_AT = SLOTS * MMSGHDR;
    private static final int NAMES_AT = IOVECS_AT + SLOTS * IOVEC;
    private static final int DATA_AT = NAMES_AT + SLOTS * SOCKADDR;

    private final Memory memory = new Memory(DATA_AT + (long) SLOTS * SLOT_BYTES);
    private final ByteBuffer headers;
    private final ByteBuffer[] payloads = new ByteBuffer[SLOTS];
    private final byte[] name = new byte[SocketAddresses.SOCKADDR_IN6_SIZE];
    private final byte[] lastName = new byte[SocketAddresses.SOCKADDR_IN6_SIZE];
    private InetSocketAddress lastFrom;

    private MmsgReceiveBatch() {
        memory.setMemory(0, DATA_AT, (byte) 0); // no control messages, no flags
        long base = Pointer.nativeValue(memory);
        headers = memory.getByteBuffer(0, DATA_AT).order(ByteOrder.nativeOrder());
        for (int i = 0; i < SLOTS; i++) {
            int h = i * MMSGHDR;
            headers.putLong(h, base + NAMES_AT + (long) i * SOCKADDR); // msg_name
            headers.putLong(h + 16, base + IOVECS_AT + (long) i * IOVEC); // msg_iov
            headers.putLong(h + 24, 1); // msg_iovlen
            headers.putLong(IOVECS_AT + i * IOVEC, base + DATA_AT + (long) i * SLOT_BYTES);
            headers.putLong(IOVECS_AT + i * IOVEC + 8, SLOT_BYTES);
            payloads[i] = memory.getByteBuffer(DATA_AT + (long) i * SLOT_BYTES, SLOT_BYTES);
        }
    }

    /** @return a batch, or null where native calls are unavailable */
    public static MmsgReceiveBatch createIfSupported() {
        return LinuxSockets.AVAILABLE ? new MmsgReceiveBatch() : null;
    }

    /**
     * Reads what is waiting, without blocking.
     *
     * @return datagrams read (0 if none was waiting), or a negative errno
     */
    public int receive(int fd) {
        for (int i = 0; i < SLOTS; i++) {
            headers.putInt(i * MMSGHDR + 8, SocketAddresses.SOCKADDR_IN6_SIZE); // msg_namelen, in and out
        }
        while (true) {
            try {
                return LinuxSockets.recvmmsg(fd, memory, SLOTS, LinuxSockets.MSG_DONTWAIT, null);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == LinuxSockets.EAGAIN) {
                    return 0;
                }
                if (e.getErrorCode() != LinuxSockets.EINTR) {
                    return -e.getErrorCode();
                }
            }
        }
    }

    /** @return datagram {@code i} of the last {@link #receive}, from position 0 to its length */
    public ByteBuffer payload(int i) {
        int length = headers.getInt(i * MMSGHDR + 56); // msg_len
        return payloads[i].clear().limit(Math.min(length, SLOT_BYTES));
    }

    /** @return the sender of datagram {@code i}; the same object as before while the sender repeats */
    public InetSocketAddress sender(int i) {
        int at = NAMES_AT + i * SOCKADDR;
        for (int k = 0; k < name.length; k++) {
            name[k] = headers.get(at + k);
        }
        if (lastFrom != null && Arrays.equals(name, lastName)) {
            return lastFrom;
        }
        int family = (headers.getShort(at) & 0xffff);
        int port = (name[2] & 0xff) << 8 | (name[3] & 0xff);
        byte[] address = family == LinuxSockets.AF_INET ? Arrays.copyOfRange(name, 4, 8)
                : Arrays.copyOfRange(name, 8, 24);
        InetSocketAddress from;
        try {
            from = new InetSocketAddress(InetAddress.getByAddress(address), port); // maps ::ffff:a.b.c.d to IPv4
        } catch (UnknownHostException e) {
            return null;
        }
        System.arraycopy(name, 0, lastName, 0, name.length);
        lastFrom = from;
        return from;
    }
}
