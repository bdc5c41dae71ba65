package io.qsockets.classifier;

import io.qsockets.spi.SocketClassifier;
import io.qsockets.spi.SocketIdentity;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Classifies by socket, as the paper's socket classifier does by the socket's inode: each
 * registered socket is a stream, found in O(1) from the socket ({@link #classify}) or from its
 * inode ({@link #streamOf}). Stream ids are dense and reused after {@link #release}. Inodes are
 * learnt lazily, off the engine's per-datagram path: from the identity when it carries one,
 * otherwise through a {@link SocketLocator} when first asked for, once the socket is bound.
 *
 * <p>Confined to the engine thread.
 */
public final class InodeClassifier implements SocketClassifier {
    private static final long UNKNOWN = -1;

    private final SocketLocator locator;
    private final Map<SocketIdentity, Integer> streams = new HashMap<>();
    private final Map<Long, Integer> streamByInode = new HashMap<>();
    private final ArrayDeque<Integer> freeIds = new ArrayDeque<>();
    private final List<Integer> unresolved = new ArrayList<>();
    private SocketIdentity[] identities = new SocketIdentity[16];
    private NativeSocket[] natives = new NativeSocket[16];
    private int nextId;

    /** @param locator resolves inodes the identities do not carry */
    public InodeClassifier(SocketLocator locator) {
        this.locator = locator;
    }

    @Override
    public int classify(SocketIdentity socket) {
        Integer known = streams.get(socket);
        if (known != null) {
            return known;
        }
        int id = freeIds.isEmpty() ? nextId++ : freeIds.pop();
        if (id >= identities.length) {
            identities = Arrays.copyOf(identities, identities.length * 2);
            natives = Arrays.copyOf(natives, natives.length * 2);
        }
        identities[id] = socket;
        streams.put(socket, id);
        if (socket.inode() > 0) {
            streamByInode.put(socket.inode(), id);
        } else {
            unresolved.add(id);
        }
        return id;
    }

    @Override
    public void release(SocketIdentity socket) {
        Integer id = streams.remove(socket);
        if (id == null) {
            return;
        }
        long inode = inodeOf(id);
        if (inode != UNKNOWN) {
            streamByInode.remove(inode, id);
        }
        identities[id] = null;
        natives[id] = null;
        unresolved.remove(id);
        freeIds.push(id);
    }

    /**
     * @return the stream of the registered socket with {@code inode}, or -1 if none; first
     *     resolves the sockets whose inode is not known yet and that are bound by now
     */
    public int streamOf(long inode) {
        Integer id = streamByInode.get(inode);
        if (id == null && resolvePending()) {
            id = streamByInode.get(inode);
        }
        return id == null ? -1 : id;
    }

    /**
     * @return the kernel socket of stream {@code streamId}, resolving it if needed, or null if the
     *     stream is not registered or its socket is not bound (or no longer open)
     */
    public NativeSocket nativeSocket(int streamId) {
        if (streamId < 0 || streamId >= identities.length || identities[streamId] == null) {
            return null;
        }
        if (natives[streamId] == null) {
            resolve(streamId);
        }
        return natives[streamId];
    }

    /** @return how many sockets are registered */
    public int size() {
        return streams.size();
    }

    private long inodeOf(int id) {
        if (natives[id] != null) {
            return natives[id].inode();
        }
        return identities[id].inode() > 0 ? identities[id].inode() : UNKNOWN;
    }

    private boolean resolvePending() {
        boolean any = false;
        for (Integer id : List.copyOf(unresolved)) {
            any |= resolve(id);
        }
        return any;
    }

    private boolean resolve(int id) {
        try {
            NativeSocket n = locator.locate(identities[id].socket());
            if (identities[id].inode() > 0 && identities[id].inode() != n.inode()) {
                return false; // the identity's inode is authoritative; keep it
            }
            natives[id] = n;
            streamByInode.put(n.inode(), id);
            unresolved.remove(Integer.valueOf(id));
            return true;
        } catch (IllegalArgumentException | IllegalStateException e) {
            return false; // not bound yet, closed, or not in this namespace: try again when asked next
        }
    }
}
