package io.qsockets.examples.demo;

import io.qsockets.QSocket;
import io.qsockets.QosParams;
import io.qsockets.impl.rtc.Rtc;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

/**
 * Where one run of an experiment happens: a sending host whose managed sockets share one engine,
 * a receiving host, the bottleneck between them, the perturbation, and the RTC the stream
 * emulators share. {@link Testbed} is loopback with a link emulator; {@link KernelBed} is two
 * network namespaces with the engine's HTB offload. Not thread-safe; closed by the run.
 */
interface Bed extends AutoCloseable {

    /** Makes a bed for one run. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param name names the threads
         * @param scheduler the engine's discipline: "dwcs", "edf" or "fifo"
         */
        Bed start(String name, String scheduler, DemoSettings settings) throws IOException;
    }

    /** @return parameters of a socket on the sending host's engine */
    QosParams.Builder params();

    /** @return the RTC that times the stream emulators */
    Rtc rtc();

    /** @return a plain receiving socket on the receiving host, with a large buffer and a short timeout */
    DatagramSocket receiver() throws IOException;

    /** @return a managed socket on the sending host */
    QSocket managed(QosParams params) throws IOException;

    /**
     * @return an unmanaged socket on the sending host: served best effort with the perturbation
     *     ({@code params} say what the engine does with it where the engine is the device queue)
     */
    DatagramSocket unmanaged(QosParams params) throws IOException;

    /** @return where {@code from} sends to reach {@code to} through the bottleneck */
    InetSocketAddress route(DatagramSocket from, DatagramSocket to) throws IOException;

    /** @return the perturbation, ready to start */
    Perturbation perturbation(DemoSettings settings) throws IOException;

    @Override
    void close();

    /** Traffic that competes with the streams under test; started and stopped once. */
    interface Perturbation extends AutoCloseable {
        void start() throws IOException;

        /** Stops offering traffic. */
        void stop() throws InterruptedException;

        @Override
        void close() throws InterruptedException;
    }
}
