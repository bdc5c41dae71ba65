/**
 * The qsockets public API: drop-in QoS sockets ({@link io.qsockets.QSocket},
 * {@link io.qsockets.QDatagramChannel}), their configuration, and the service interfaces that
 * schedulers, classifiers and the runtime implement.
 */
module io.qsockets.api {
    exports io.qsockets;
    exports io.qsockets.spi;

    uses io.qsockets.spi.QSocketsRuntime;
    uses io.qsockets.spi.PacketSchedulerProvider;
    uses io.qsockets.spi.SocketClassifierProvider;
    uses io.qsockets.spi.KernelPathProvider;
}
