package io.qsockets;

import io.qsockets.spi.QSocketsRuntime;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Entry points that are not constructors: creating engines ({@code qsockinit}), attaching QoS to
 * sockets an application already has ({@code qattach}), and listing the schedulers.
 *
 * <p>Thread-safe.
 */
public final class QSockets {

    private QSockets() {
    }

    /**
     * Creates and starts an engine. Sockets use it when their {@link QosParams#engine()} names it;
     * without {@code init}, a default engine per scheduler is created on first use.
     *
     * @throws IllegalArgumentException if the configured scheduler is unknown (the message lists
     *     the known ones)
     * @throws KernelOffloadException if the config asks for {@link EngineConfig#kernelOffload()}
     *     and the kernel path is unavailable (the message says what is missing)
     */
    public static Engine init(EngineConfig config) {
        Objects.requireNonNull(config, "engine config must not be null");
        return runtime().init(config);
    }

    /**
     * Schedules and paces the traffic of an existing, bound socket. Datagrams sent through the
     * returned view leave through {@code legacy}; closing the view closes {@code legacy}.
     *
     * <p>On {@link Transport#UDP} the peer can stay a plain UDP socket and receiving through the
     * view reads {@code legacy}. On {@link Transport#DCCP} the peer must speak DCCP too (a
     * {@link QSocket} or channel with the same transport); the engine then reads {@code legacy}
     * itself, so the application must receive through the returned view, never through
     * {@code legacy}. A {@code DatagramSocket} without a channel costs the engine a reader thread.
     *
     * @throws IllegalArgumentException if {@code legacy} is closed or unbound
     */
    public static QSocket attach(DatagramSocket legacy, QosParams params) throws IOException {
        Objects.requireNonNull(legacy, "socket to attach must not be null");
        Objects.requireNonNull(params, "QoS params must not be null");
        return new QSocket(runtime().attach(legacy, params));
    }

    /**
     * Schedules and paces the traffic of an existing, bound channel; see
     * {@link #attach(DatagramSocket, QosParams)}.
     */
    public static QDatagramChannel attach(DatagramChannel legacy, QosParams params) throws IOException {
        Objects.requireNonNull(legacy, "channel to attach must not be null");
        Objects.requireNonNull(params, "QoS params must not be null");
        return runtime().attach(legacy, params);
    }

    /** @return the names of the available scheduler disciplines, sorted */
    public static List<String> schedulers() {
        return runtime().schedulers();
    }

    static QSocketsRuntime runtime() {
        return RuntimeHolder.RUNTIME;
    }

    private static final class RuntimeHolder {
        static final QSocketsRuntime RUNTIME = load();

        private static QSocketsRuntime load() {
            return ServiceLoader.load(QSocketsRuntime.class, QSockets.class.getClassLoader()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no qsockets runtime on the class or module path: "
                            + "add io.qsockets:qsockets-impl to the application's dependencies"));
        }
    }
}
