package io.qsockets.impl.runtime;

import io.qsockets.spi.SocketClassifier;
import io.qsockets.spi.SocketIdentity;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The classifier an engine uses when no {@code SocketClassifierProvider} is present: one stream
 * per socket object; the ids of released sockets are reused. Engine thread only.
 */
final class SequentialClassifier implements SocketClassifier {
    private final Map<SocketIdentity, Integer> streams = new HashMap<>();
    private final ArrayDeque<Integer> freeIds = new ArrayDeque<>();
    private int nextId;

    @Override
    public int classify(SocketIdentity socket) {
        return streams.computeIfAbsent(socket, s -> freeIds.isEmpty() ? nextId++ : freeIds.pop());
    }

    @Override
    public void release(SocketIdentity socket) {
        Integer id = streams.remove(socket);
        if (id != null) {
            freeIds.push(id);
        }
    }
}
