package io.qsockets.spi;

/**
 * Maps sockets to scheduler streams, so that every outgoing packet reaches its stream in O(1).
 * Confined to the engine thread.
 */
public interface SocketClassifier {

    /**
     * @return the stream id of {@code socket}, assigning a new one on first sight; ids are small,
     *     non-negative and reused after {@link #release}
     */
    int classify(SocketIdentity socket);

    /** Forgets {@code socket}; its stream id may be reused. */
    void release(SocketIdentity socket);
}
