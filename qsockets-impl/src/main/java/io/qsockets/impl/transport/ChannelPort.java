package io.qsockets.impl.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** Sends through a {@link DatagramChannel}, blocking or not. Engine thread only. */
public final class ChannelPort implements DatagramPort {
    private final DatagramChannel channel;

    /** @param channel the channel the datagrams leave through */
    public ChannelPort(DatagramChannel channel) {
        this.channel = channel;
    }

    @Override
    public boolean send(ByteBuffer payload, InetSocketAddress target) throws IOException {
        return channel.send(payload, target) > 0 || !payload.hasRemaining();
    }
}
