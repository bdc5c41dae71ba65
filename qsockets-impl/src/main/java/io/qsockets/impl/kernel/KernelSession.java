package io.qsockets.impl.kernel;

import io.qsockets.EngineConfig;
import io.qsockets.KernelOffload;
import io.qsockets.KernelOffloadException;
import io.qsockets.QosParams;
import io.qsockets.spi.KernelPath;
import io.qsockets.spi.KernelPathProvider;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * The kernel path of one engine: the {@link KernelPath} a {@link KernelPathProvider} installed for
 * the engine's {@link KernelOffload}, or nothing ({@link #NONE}) on the user-level path. Hands
 * each socket a {@link SocketKernelHook}. Thread-safe.
 */
public final class KernelSession implements AutoCloseable {
    /** The session of an engine without kernel offload: its hooks do nothing. */
    public static final KernelSession NONE = new KernelSession(null);

    private final KernelPath path;

    private KernelSession(KernelPath path) {
        this.path = path;
    }

    /**
     * Installs the kernel path {@code config} asks for, through the first
     * {@link KernelPathProvider} on the class or module path.
     *
     * @return {@link #NONE} if the config asks for no kernel offload
     * @throws KernelOffloadException if no provider is present, or the provider reports what is missing
     */
    public static KernelSession open(EngineConfig config) {
        return open(config, ServiceLoader.load(KernelPathProvider.class, KernelSession.class.getClassLoader()));
    }

    static KernelSession open(EngineConfig config, Iterable<KernelPathProvider> providers) {
        KernelOffload offload = config.kernelOffload();
        if (offload == null) {
            return NONE;
        }
        Iterator<KernelPathProvider> it = providers.iterator();
        if (!it.hasNext()) {
            throw new KernelOffloadException("engine '" + config.name() + "' asks for kernel offload on "
                    + offload.device() + ", but no kernel path is on the class or module path: add "
                    + "io.qsockets:socket-classifier (Linux) to the application's dependencies");
        }
        return new KernelSession(it.next().open(offload));
    }

    /** @return whether the engine offloads to the kernel */
    public boolean isActive() {
        return path != null;
    }

    /**
     * @param params the new socket's parameters
     * @return the hook the socket's facade calls on bind, change, info and close
     */
    public SocketKernelHook socketOpened(QosParams params) {
        return path == null ? SocketKernelHook.NONE : new SocketKernelHook(path, params.attributes());
    }

    /** Removes the kernel path: the device is as it was found. Idempotent. */
    @Override
    public void close() {
        if (path != null) {
            path.close();
        }
    }

    @Override
    public String toString() {
        return path == null ? "KernelSession[none]" : "KernelSession[" + path + "]";
    }
}
