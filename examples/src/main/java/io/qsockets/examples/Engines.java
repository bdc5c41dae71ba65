package io.qsockets.examples;

import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.QSockets;
import io.qsockets.QosParams;

/** How the programs get the engine their sockets use. */
public final class Engines {

    private Engines() {
    }

    /**
     * @param scheduler the discipline
     * @param deviceRate the device capacity in bit/s ("4M"), or "0" for unlimited
     * @return parameters naming an engine of {@code scheduler} with that egress rate, and the engine to
     *     close at the end (null when the default engine serves)
     */
    public static Chosen choose(String scheduler, String deviceRate) {
        long rate = "0".equals(deviceRate.strip()) ? 0 : Units.bitsPerSecond(deviceRate);
        if (rate == 0) {
            return new Chosen(QosParams.builder().scheduler(scheduler), null);
        }
        Engine engine = QSockets.init(EngineConfig.builder().name(scheduler + "-engine").scheduler(scheduler)
                .egressRate(rate).build());
        return new Chosen(QosParams.builder().engine(engine), engine);
    }

    /**
     * An engine choice.
     *
     * @param params a builder of socket parameters on that engine
     * @param engine the engine the program made, or null
     */
    public record Chosen(QosParams.Builder params, Engine engine) implements AutoCloseable {
        @Override
        public void close() {
            if (engine != null) {
                engine.close();
            }
        }
    }
}
