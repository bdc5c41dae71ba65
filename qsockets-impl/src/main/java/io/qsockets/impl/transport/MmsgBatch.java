package io.qsockets.impl.transport;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Up to {@link #SLOTS} datagrams for one socket, laid out in native memory as the {@code mmsghdr}
 * array of one Linux {@code sendmmsg} call: one system call sends them all. Payloads are written
 * straight into the batch's buffer, so a datagram is copied once between the application's
 * array and the kernel. Engine thread only.
 *
 * <p>Layout (LP64): {@code SLOTS × mmsghdr} (64 bytes each: {@code msghdr} then {@code msg_len}),
 * {@code SLOTS × iovec} (16 bytes), {@code SLOTS × sockaddr_in6} (32 bytes), then the payload
 * area, filled front to back.
 */
public final class MmsgBatch {
    /** Most datagrams in one call. */
    public static final int SLOTS = 64;
    private static final int MMSGHDR = 64;
    private static final int IOVEC = 16;
    private static final int SOCKADDR = 32;
    private static final int IOVECS_AT = SLOTS * MMSGHDR;
    private static final int NAMES_AT = IOVECS_AT + SLOTS * IOVEC;
    private static final int PAYLOAD_AT = NAMES_AT + SLOTS * SOCKADDR;
    /** Room for the largest datagram plus a full batch of ordinary ones. */
    private static final int PAYLOAD_BYTES = 256 * 1024;

    private final Memory memory = new Memory(PAYLOAD_AT + PAYLOAD_BYTES);
    private final long base = Pointer.nativeValue(memory);
    private final ByteBuffer headers = memory.getByteBuffer(0, PAYLOAD_AT).order(ByteOrder.nativeOrder());
    private final ByteBuffer payloads = memory.getByteBuffer(PAYLOAD_AT, PAYLOAD_BYTES);
    private final Pointer[] fromSlot = new Pointer[SLOTS];
    private int count;
    private int payloadEnd;
    private InetSocketAddress lastTarget;
    private int lastFamily;
    private int lastNameSlot;
    private int lastNameLength;

    private MmsgBatch() {
        memory.clear(); // no control messages, no flags: native memory starts with whatever was there
        for (int i = 0; i < SLOTS; i++) {
            int h = i * MMSGHDR;
            headers.putLong(h + 16, base + IOVECS_AT + (long) i * IOVEC); // msg_iov
            headers.putLong(h + 24, 1); // msg_iovlen
            fromSlot[i] = memory.share(h);
        }
    }

    /** @return a batch, or null where native sends are unavailable (off Linux, no JNA) */
    public static MmsgBatch createIfSupported() {
        return LinuxSockets.AVAILABLE ? new MmsgBatch() : null;
    }

    /** @return datagrams in the batch */
    public int size() {
        return count;
    }

    /** @return whether no slot is left */
    public boolean isFull() {
        return count == SLOTS;
    }

    /**
     * The buffer the next datagram's payload goes into: position at the first free byte, limit at
     * the end of the room. Write the payload, then call {@link #add}.
     *
     * @return the buffer, or null if fewer than {@code maxLength} bytes are free (send the batch first)
     */
    public ByteBuffer payloadArea(int maxLength) {
        if (count == SLOTS || PAYLOAD_BYTES - payloadEnd < maxLength) {
            return null;
        }
        return payloads.limit(PAYLOAD_BYTES).position(payloadEnd);
    }

    /**
     * Adds the datagram just written into {@link #payloadArea}, from where that area began to its
     * current position, addressed to {@code target}.
     *
     * @param descriptor the socket it leaves through; decides how {@code target} is encoded
     * @return false (and nothing added) if that socket's family cannot reach {@code target}
     */
    public boolean add(InetSocketAddress target, NativeDescriptor descriptor) {
        if (!descriptor.canReach(target)) {
            return false;
        }
        int length = payloads.position() - payloadEnd;
        int slot = count;
        int iov = IOVECS_AT + slot * IOVEC;
        headers.putLong(iov, base + PAYLOAD_AT + payloadEnd);
        headers.putLong(iov + 8, length);
        if (target != lastTarget || descriptor.family() != lastFamily || count == 0) {
            lastNameSlot = slot;
            lastNameLength = SocketAddresses.write(headers, NAMES_AT + slot * SOCKADDR, target, descriptor.family());
            lastTarget = target;
            lastFamily = descriptor.family();
        }
        int h = slot * MMSGHDR;
        headers.putLong(h, base + NAMES_AT + (long) lastNameSlot * SOCKADDR); // msg_name
        headers.putInt(h + 8, lastNameLength); // msg_namelen
        payloadEnd += length;
        count++;
        return true;
    }

    /**
     * Sends the datagrams {@code from} to the end in one call, without blocking.
     *
     * @return how many were sent (the first ones), or a negative errno if the first of them failed;
     *     {@code -EAGAIN} means the socket's buffer is full and nothing was sent
     */
    public int send(int fd, int from) {
        while (true) {
            try {
                return LinuxSockets.sendmmsg(fd, fromSlot[from], count - from,
                        LinuxSockets.MSG_DONTWAIT);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LinuxSockets.EINTR) {
                    return -e.getErrorCode();
                }
            }
        }
    }

    /** @return the payload length of datagram {@code slot} */
    public int length(int slot) {
        return (int) headers.getLong(IOVECS_AT + slot * IOVEC + 8);
    }

    /** Empties the batch. */
    public void clear() {
        count = 0;
        payloadEnd = 0;
        lastTarget = null;
    }
}
