package io.qsockets.impl.dccp.ccid2;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.impl.dccp.ackvec.Seq48;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two CCID 2 flows through one tail-drop bottleneck, 60 s of simulated time: they share it
 * fairly and keep it busy.
 */
@Timeout(10)
class Ccid2SimulationTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static final long RATE = 1000;
    private static final long FROM = 10 * SECOND;
    private static final long UNTIL = 60 * SECOND;

    @Test
    void twoFlowsShareABottleneckFairlyAndFillIt() {
        DumbbellSimulation sim = new DumbbellSimulation(RATE, 50, 20 * MS, 20 * MS);
        runTwoFlows(sim);
    }

    /**
     * 5 % of acknowledgements lost on the way back: the senders raise the Ack Ratio (RFC 4341
     * §6.1.2) and the cumulative Ack Vectors keep the window going. (Far heavier ack loss drives
     * the Ack Ratio to cwnd / 2, two acknowledgements per window, and windows whose acknowledgements
     * are all lost end in timeouts, as RFC 4341 §6.1.2 says.)
     */
    @Test
    void lostAcknowledgementsRaiseTheAckRatioAndTheFlowsStillShareFairly() {
        DumbbellSimulation sim = new DumbbellSimulation(RATE, 50, 20 * MS, 20 * MS);
        sim.loseAcks(0.05);
        runTwoFlows(sim);
        for (DumbbellSimulation.Flow f : sim.flows) {
            assertThat(f.sender.ackCongestionEvents()).isPositive();
            assertThat(f.sender.ackRatioChanges()).isPositive();
            assertThat(f.sender.ackRatio()).isGreaterThan(2);
        }
    }

    private static void runTwoFlows(DumbbellSimulation sim) {
        Ccid2Config config = Ccid2Config.defaults();
        DumbbellSimulation.Flow a = sim.addFlow(config, 0, 10);
        DumbbellSimulation.Flow b = sim.addFlow(config, 2 * SECOND, Seq48.MASK - 5000);
        sim.measure(FROM, UNTIL);
        sim.runUntil(UNTIL);

        double x = a.delivered;
        double y = b.delivered;
        double jain = (x + y) * (x + y) / (2 * (x * x + y * y));
        double utilisation = (x + y) / (RATE * (UNTIL - FROM) / (double) SECOND);
        System.out.printf("delivered a=%d b=%d jain=%.4f utilisation=%.4f drops=%d%n", a.delivered, b.delivered, jain,
                utilisation, sim.queueDrops());
        for (DumbbellSimulation.Flow f : sim.flows) {
            System.out.printf("  %s events=%d timeouts=%d lost=%d late=%d acks=%d invalid=%d ackEvents=%d "
                            + "ackRatioChanges=%d maxPipe=%d ackCells=%d%n",
                    f.sender, f.sender.congestionEvents(), f.sender.timeouts(), f.sender.dataPacketsLost(),
                    f.sender.lateAcks(), f.sender.acksProcessed(), f.sender.invalidAcks(), f.sender.ackCongestionEvents(),
                    f.sender.ackRatioChanges(), f.maxPipe, f.receiver.recorder().cellCount());
        }

        assertThat(jain).isGreaterThanOrEqualTo(0.9);
        assertThat(utilisation).isGreaterThanOrEqualTo(0.8).isLessThanOrEqualTo(1.0);
        assertThat(sim.queueDrops()).as("the flows must have met congestion").isPositive();
        for (DumbbellSimulation.Flow f : sim.flows) {
            assertThat(f.sender.congestionEvents()).isPositive();
            assertThat(f.sender.invalidAcks()).isZero();
            assertThat(f.sender.pipe()).isBetween(0, f.sender.cwnd());
            assertThat(f.receiver.recorder().overflowCount()).isZero();
            assertThat(f.receiver.recorder().cellCount()).isLessThan(200);
        }
    }
}
