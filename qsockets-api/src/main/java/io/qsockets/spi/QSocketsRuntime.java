package io.qsockets.spi;

import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.QDatagramChannel;
import io.qsockets.QosParams;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.List;

/**
 * The implementation behind {@link io.qsockets.QSockets}, {@link io.qsockets.QSocket} and
 * {@link QDatagramChannel}, found through {@link java.util.ServiceLoader} (the qsockets-impl
 * module provides it). Thread-safe.
 */
public interface QSocketsRuntime {

    /** See {@link io.qsockets.QSockets#init(EngineConfig)}. */
    Engine init(EngineConfig config);

    /** @return a delegate for a new, unbound {@link io.qsockets.QSocket} */
    QSocketDelegate newSocket(QosParams params) throws IOException;

    /** @return a delegate that schedules the traffic of {@code legacy} */
    QSocketDelegate attach(DatagramSocket legacy, QosParams params) throws IOException;

    /** @return a new, unbound channel; {@code family} may be null for the platform default */
    QDatagramChannel openChannel(ProtocolFamily family, QosParams params) throws IOException;

    /** @return a channel that schedules the traffic of {@code legacy} */
    QDatagramChannel attach(DatagramChannel legacy, QosParams params) throws IOException;

    /** @return the names of the scheduler disciplines on the class or module path, sorted */
    List<String> schedulers();
}
