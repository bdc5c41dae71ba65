/**
 * The qsockets implementation: the engine and its duty cycle, the RTC timing subsystem, the UDP
 * transport and the facades behind {@code QSocket} and {@code QDatagramChannel}. Schedulers and
 * classifiers are found through {@link java.util.ServiceLoader}, never by class name.
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

    provides io.qsockets.spi.QSocketsRuntime with io.qsockets.impl.runtime.DefaultRuntime;
}
