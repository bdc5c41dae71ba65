/**
 * The qsockets implementation: the engine and its duty cycle, the RTC timing subsystem, the UDP
 * transport, the facades behind {@code QSocket} and {@code QDatagramChannel}, and the kernel
 * path's per-socket hooks. Schedulers, classifiers and kernel paths are found through
 * {@link java.util.ServiceLoader}, never by class name.
 */
module io.qsockets.impl {
    requires transitive io.qsockets.api;
    requires org.jctools.core;
    requires org.slf4j;
    requires HdrHistogram;
    requires com.sun.jna;

    exports io.qsockets.impl.rtc;

    uses io.qsockets.spi.PacketSchedulerProvider;
    uses io.qsockets.spi.SocketClassifierProvider;
    uses io.qsockets.spi.KernelPathProvider;

    provides io.qsockets.spi.QSocketsRuntime with io.qsockets.impl.runtime.DefaultRuntime;
}
