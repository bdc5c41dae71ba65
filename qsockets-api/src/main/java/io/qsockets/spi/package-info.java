/**
 * Service interfaces: packet schedulers ({@link io.qsockets.spi.PacketSchedulerProvider}), socket
 * classifiers ({@link io.qsockets.spi.SocketClassifierProvider}), the kernel path
 * ({@link io.qsockets.spi.KernelPathProvider}) and the runtime behind the facades
 * ({@link io.qsockets.spi.QSocketsRuntime}), each found through {@link java.util.ServiceLoader}.
 * Applications do not use this package.
 */
package io.qsockets.spi;
