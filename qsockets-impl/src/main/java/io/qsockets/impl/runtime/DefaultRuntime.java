package io.qsockets.impl.runtime;

import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.QDatagramChannel;
import io.qsockets.QosParams;
import io.qsockets.ThreadingMode;
import io.qsockets.impl.engine.DutyCycleEngine;
import io.qsockets.impl.facade.ChannelFacade;
import io.qsockets.impl.facade.SocketDelegate;
import io.qsockets.impl.kernel.KernelSession;
import io.qsockets.spi.QSocketDelegate;
import io.qsockets.spi.QSocketsRuntime;
import io.qsockets.spi.SocketClassifier;
import io.qsockets.spi.SocketClassifierProvider;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime the qsockets-impl module provides: builds engines from the scheduler and classifier
 * providers on the path, keeps one default engine per scheduler, and makes the facades.
 * Thread-safe.
 */
public final class DefaultRuntime implements QSocketsRuntime {
    private final SchedulerCatalog schedulers = SchedulerCatalog.load();
    private final Map<String, DutyCycleEngine> defaultEngines = new ConcurrentHashMap<>();
    /** Every engine this runtime started, for the drain at JVM exit. */
    private final Set<DutyCycleEngine> engines = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean exitHook = new AtomicBoolean();

    /**
     * {@inheritDoc} With {@link EngineConfig#kernelOffload()}, the kernel path is installed first
     * (so that a missing privilege, tool or device fails before anything starts), and the
     * engine returned removes it when closed.
     */
    @Override
    public Engine init(EngineConfig config) {
        schedulers.get(config.scheduler()); // an unknown scheduler fails before the device is touched
        KernelSession kernel = KernelSession.open(config);
        try {
            return track(DutyCycleEngine.start(config, schedulers.get(config.scheduler()), newClassifier(), false,
                    kernel));
        } catch (RuntimeException | Error e) {
            kernel.close();
            throw e;
        }
    }

    @Override
    public QSocketDelegate newSocket(QosParams params) throws IOException {
        return SocketDelegate.owned(engineFor(params), params);
    }

    @Override
    public QSocketDelegate attach(DatagramSocket legacy, QosParams params) throws IOException {
        return SocketDelegate.attached(engineFor(params), legacy, params);
    }

    @Override
    public QDatagramChannel openChannel(ProtocolFamily family, QosParams params) throws IOException {
        DutyCycleEngine engine = engineFor(params);
        return ChannelFacade.owned(engine, family == null ? DatagramChannel.open() : DatagramChannel.open(family),
                params);
    }

    @Override
    public QDatagramChannel attach(DatagramChannel legacy, QosParams params) throws IOException {
        return ChannelFacade.attached(engineFor(params), legacy, params);
    }

    @Override
    public List<String> schedulers() {
        return schedulers.names();
    }

    private DutyCycleEngine engineFor(QosParams params) {
        Engine given = params.engine();
        if (given == null) {
            String name = params.scheduler() != null ? params.scheduler()
                    : params.attributes().defaultScheduler() != null ? params.attributes().defaultScheduler()
                    : EngineConfig.DEFAULT_SCHEDULER;
            schedulers.get(name);
            DutyCycleEngine engine = defaultEngines.compute(name, (n, existing) -> existing != null
                    && !existing.isClosed() ? existing : start(EngineConfig.builder().name("qsockets-" + n)
                            .scheduler(n).threadingMode(ThreadingMode.AGENT).build(), true));
            return engine;
        }
        if (!(given instanceof DutyCycleEngine engine)) {
            throw new IllegalArgumentException("engine " + given + " was not made by QSockets.init");
        }
        if (engine.isClosed()) {
            throw new IllegalStateException("engine '" + engine.config().name() + "' is closed");
        }
        String wanted = params.scheduler();
        if (wanted != null && !wanted.equals(engine.config().scheduler())) {
            schedulers.get(wanted);
            throw new IllegalArgumentException("QosParams ask for scheduler '" + wanted + "' but engine '"
                    + engine.config().name() + "' runs '" + engine.config().scheduler()
                    + "'; one engine runs one scheduler");
        }
        return engine;
    }

    private DutyCycleEngine start(EngineConfig config, boolean daemon) {
        return track(DutyCycleEngine.start(config, schedulers.get(config.scheduler()), newClassifier(), daemon));
    }

    /**
     * Remembers {@code engine} for the drain at JVM exit: when the JVM exits normally (the last
     * non-daemon thread ends, or {@code System.exit}), each open socket's queue gets up to its
     * linger to drain, as the datagrams a {@code DatagramSocket} sent are in the kernel already.
     */
    private DutyCycleEngine track(DutyCycleEngine engine) {
        engines.removeIf(DutyCycleEngine::isClosed);
        engines.add(engine);
        if (exitHook.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(this::drainAtExit, "qsockets-exit-drain"));
            } catch (IllegalStateException e) {
                // the JVM is exiting already
            }
        }
        return engine;
    }

    private void drainAtExit() {
        long start = System.nanoTime();
        for (DutyCycleEngine engine : engines) {
            if (!engine.isClosed()) {
                engine.awaitDrained(start);
            }
        }
    }

    private static SocketClassifier newClassifier() {
        return ServiceLoader.load(SocketClassifierProvider.class, DefaultRuntime.class.getClassLoader())
                .findFirst().map(SocketClassifierProvider::create).orElseGet(SequentialClassifier::new);
    }
}
