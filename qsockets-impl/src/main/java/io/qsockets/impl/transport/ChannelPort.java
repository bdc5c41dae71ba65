package io.qsockets.impl.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Sends through a {@link DatagramChannel}, blocking or not. A channel the library owns (closed
 * only through {@link #retire()}) may also be sent on natively, many datagrams per system call,
 * through its {@linkplain #descriptor() descriptor}. Engine thread only, except {@link #retire()}.
 */
public final class ChannelPort implements DatagramPort {
    private final DatagramChannel channel;
    private final boolean owned;
    private NativeDescriptor descriptor;
    private boolean resolved;
    private boolean retired;
    private boolean queueErrors;
    private boolean errorsQueued;

    /**
     * @param channel the channel the datagrams leave through
     * @param owned whether the library owns the channel, so that nothing closes it before {@link #retire()}
     */
    public ChannelPort(DatagramChannel channel, boolean owned) {
        this.channel = channel;
        this.owned = owned;
    }

    @Override
    public boolean send(ByteBuffer payload, InetSocketAddress target) throws IOException {
        return channel.send(payload, target) > 0 || !payload.hasRemaining();
    }

    @Override
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** @return the channel the datagrams leave through */
    public DatagramChannel channel() {
        return channel;
    }

    /**
     * Engine thread: the descriptor to send on natively, looked up once the channel is bound.
     * Callers must hold {@link #transmitLock()} while they use it and check {@link #isRetired()}.
     *
     * @return the descriptor, or null: the channel is not owned, not yet bound, or native sends
     *     are unavailable; use {@link #send}
     */
    public NativeDescriptor descriptor() {
        if (!resolved && owned) {
            InetSocketAddress local;
            try {
                local = (InetSocketAddress) channel.getLocalAddress();
            } catch (IOException e) {
                return null;
            }
            if (local == null) {
                return null; // the first JDK send binds it
            }
            descriptor = NativeDescriptor.find(local);
            resolved = true;
            enableErrors();
        }
        return descriptor;
    }

    /**
     * Engine thread, for a DCCP socket: asks the kernel to queue the socket's ICMP errors (see
     * {@link ErrorQueue}) as soon as its descriptor is known, so that the first datagram to an
     * unreachable peer reports it, and to send its packets unfragmentable ({@link DontFragment}).
     */
    public void queueErrors() {
        queueErrors = true;
        enableErrors();
    }

    /** @return whether the socket's ICMP errors are queued for the reader to drain */
    public boolean errorsQueued() {
        return errorsQueued;
    }

    private void enableErrors() {
        if (queueErrors && !errorsQueued && descriptor != null) {
            synchronized (transmitLock()) {
                errorsQueued = !retired && ErrorQueue.enable(descriptor);
                if (!retired) {
                    DontFragment.set(descriptor); // a DCCP socket: unfragmentable packets (RFC 4340 §14.1)
                }
            }
        }
    }

    /** @return the lock native sends hold, so that the channel is not closed under them */
    public Object transmitLock() {
        return this;
    }

    /** @return whether {@link #retire()} was called; check it under {@link #transmitLock()} */
    public boolean isRetired() {
        return retired;
    }

    /**
     * Any thread, before the channel is closed: no native send uses its descriptor after this
     * returns, so the descriptor number may be reused by the process.
     */
    public void retire() {
        synchronized (transmitLock()) {
            retired = true;
        }
    }
}
