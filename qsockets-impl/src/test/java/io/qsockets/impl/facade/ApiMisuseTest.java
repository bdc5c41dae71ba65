package io.qsockets.impl.facade;

import static io.qsockets.impl.facade.MisuseCases.Arg.flag;
import static io.qsockets.impl.facade.MisuseCases.Arg.measured;
import static io.qsockets.impl.facade.MisuseCases.Arg.num;
import static io.qsockets.impl.facade.MisuseCases.Arg.ref;
import static io.qsockets.impl.facade.MisuseCases.Expect.CLOSED;
import static io.qsockets.impl.facade.MisuseCases.Expect.invalid;
import static io.qsockets.impl.facade.MisuseCases.Expect.returns;
import static io.qsockets.impl.facade.MisuseCases.Expect.returnsValue;
import static io.qsockets.impl.facade.MisuseCases.Expect.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.BackPressure;
import io.qsockets.DccpStats;
import io.qsockets.DwcsAttributes;
import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.IdleStrategy;
import io.qsockets.KernelStats;
import io.qsockets.ManualNanoClock;
import io.qsockets.NanoClock;
import io.qsockets.PacketFlags;
import io.qsockets.QDatagramChannel;
import io.qsockets.QInfo;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import io.qsockets.SchedulerStats;
import io.qsockets.Segment;
import io.qsockets.ThreadingMode;
import io.qsockets.Transport;
import io.qsockets.impl.engine.Endpoint;
import io.qsockets.impl.facade.MisuseCases.Case;
import io.qsockets.impl.facade.MisuseCases.Fn;
import io.qsockets.impl.facade.MisuseCases.Plan;
import io.qsockets.impl.facade.MisuseCases.Resources;
import io.qsockets.impl.facade.MisuseCases.Spec;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public constructor and method of package {@code io.qsockets}, found by reflection, given
 * null, negative, zero and oversized arguments and closed sockets, channels, engines and final
 * segments, answers with a clear exception: a {@link NullPointerException} or
 * {@link IllegalArgumentException} naming the parameter or the value and what is allowed, a
 * {@link java.net.SocketException} or {@link java.nio.channels.ClosedChannelException} for a
 * closed socket, an {@link java.io.IOException} naming the size and the limit for an oversized
 * datagram; or, where the contract accepts the value, a normal return. A public member added
 * without a misuse spec, a rule or an exemption below fails {@link #everyPublicMemberIsCoveredOrExempted()}.
 * Sockets run on one INVOKER engine with a {@link ManualNanoClock}: nothing depends on wall time.
 */
@Timeout(60)
class ApiMisuseTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetSocketAddress DISCARD = new InetSocketAddress(LOOPBACK, 9);
    private static final Duration NEGATIVE = Duration.ofMillis(-1);
    /** Fits a long of nanoseconds, but added to a clock reading it overflows. */
    private static final Duration LONG_MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);
    /** Does not fit a long of nanoseconds: {@code toNanos()} throws ArithmeticException. */
    private static final Duration BEYOND_NANOS = Duration.ofSeconds(Long.MAX_VALUE);
    private static final int OVERSIZED = Endpoint.MAX_IPV4_PAYLOAD + 1;

    /**
     * Members that are neither exercised nor covered by a rule, each with its reason. Keep it small:
     * a new member belongs in {@link #specs()}.
     */
    private static final Map<String, String> EXEMPT = Map.of(
            // its one argument may be null (an unbound socket), as QSocket(SocketAddress, QosParams)
            // shows; any call needs the default engine, which runs on wall time
            "QSocket.new(SocketAddress)", "null means unbound; needs the default engine",
            // a clock may start anywhere
            "ManualNanoClock.new(long)", "accepts any value by contract: any reading is a valid origin",
            // what a scheduler counted; -1 means not tracked
            "SchedulerStats.new(long, long, long, long, int, int)", "a report: numbers only, none invalid");

    private static Engine engine;

    @BeforeAll
    static void startEngine() {
        engine = QSockets.init(EngineConfig.builder().name("api-misuse").clock(new ManualNanoClock())
                .threadingMode(ThreadingMode.INVOKER).build());
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    static Stream<Case> cases() {
        return plan().cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void misuseGetsAClearAnswer(Case c) throws Exception {
        try (Resources r = new Resources()) {
            c.run(r);
        }
    }

    @Test
    void everyPublicMemberIsCoveredOrExempted() {
        Plan plan = plan();
        System.out.println(plan.summary());
        assertThat(plan.problems()).as("specs that do not fit the API").isEmpty();
        assertThat(plan.uncovered()).as("public members with no misuse spec, rule or exemption").isEmpty();
        assertThat(plan.typeNames()).as("the enumeration finds the API").contains("QSocket", "QDatagramChannel",
                "QSockets", "QosParams.Builder", "PacketFlags.Builder", "EngineConfig.Builder", "SchedulerAttributes",
                "DwcsAttributes", "Segment", "Engine", "ManualNanoClock", "QInfo");
        assertThat(plan.exercised() + plan.ruled() + plan.exempted()).as("members exercised, ruled or exempted")
                .isEqualTo(plan.members());
        assertThat(plan.exempted()).isEqualTo(EXEMPT.size());
        assertThat(plan.exercised()).as("members exercised").isEqualTo(specs().size());
    }

    private static Plan plan;

    private static synchronized Plan plan() {
        if (plan == null) {
            plan = Plan.of(QSocket.class, Map.of(QDatagramChannel.class, ChannelFacade.class), specs(), EXEMPT);
        }
        return plan;
    }

    // ---- receivers and arguments ----

    private static QosParams params() {
        return QosParams.builder().engine(engine).build();
    }

    private static DatagramPacket packet(int length) {
        return new DatagramPacket(new byte[length], length, DISCARD);
    }

    private static QSocket socket(Resources r) throws IOException {
        return r.add(new QSocket(new InetSocketAddress(LOOPBACK, 0), params()));
    }

    private static QDatagramChannel channel(Resources r) throws IOException {
        return r.add(QDatagramChannel.open(params()));
    }

    private static QDatagramChannel connectedChannel(Resources r) throws IOException {
        QDatagramChannel channel = channel(r);
        channel.connect(DISCARD);
        return channel;
    }

    /** A non-blocking channel with a datagram on its way to it. */
    private static QDatagramChannel readyChannel(Resources r) throws IOException {
        QDatagramChannel channel = channel(r);
        channel.bind(new InetSocketAddress(LOOPBACK, 0));
        channel.configureBlocking(false);
        r.add(DatagramChannel.open()).send(ByteBuffer.allocate(1), channel.getLocalAddress());
        return channel;
    }

    private static Engine newEngine(Resources r) {
        return r.add(QSockets.init(EngineConfig.builder().name("api-misuse-receiver").clock(new ManualNanoClock())
                .threadingMode(ThreadingMode.INVOKER).build()));
    }

    private static Segment segment(Resources r) throws IOException {
        return socket(r).send(packet(4), PacketFlags.NONE);
    }

    private static DatagramSocket boundSocket(Resources r) throws IOException {
        return r.add(new DatagramSocket(new InetSocketAddress(LOOPBACK, 0)));
    }

    private static DatagramChannel boundChannel(Resources r) throws IOException {
        return r.add(DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0)));
    }

    private static QInfo info() {
        return new QInfo("fifo", Transport.UDP, SchedulerAttributes.unpaced(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                SchedulerStats.NONE);
    }

    private static NetworkInterface loopbackInterface() throws IOException {
        return NetworkInterface.getByInetAddress(LOOPBACK);
    }

    private static MisuseCases.Arg port() {
        return num("port", 0, -1, 65_536, Integer.MAX_VALUE, Integer.MIN_VALUE);
    }

    /** A duration that must be positive and at most {@link PacketFlags#MAX_DEADLINE}. */
    private static MisuseCases.Arg deadline(String name) {
        return ref(name, Duration.ofMillis(1)).invalid(Duration.ZERO, NEGATIVE, LONG_MAX_NANOS, BEYOND_NANOS);
    }

    private static MisuseCases.Arg byteRange(String name) {
        return num(name, 0, -1, 256, Integer.MAX_VALUE, Integer.MIN_VALUE);
    }

    private static MisuseCases.Arg datagram(String name, Fn valid, Fn oversized) {
        return ref(name, valid).oversized(OVERSIZED + " bytes", oversized, OVERSIZED, Endpoint.MAX_IPV4_PAYLOAD);
    }

    private static MisuseCases.Arg buffer() {
        return datagram("source buffer", r -> ByteBuffer.allocate(1), r -> ByteBuffer.allocate(OVERSIZED));
    }

    private static Fn receiverOf(Object value) {
        return r -> value;
    }

    // ---- the specs: how each public member is misused ----

    private static Map<String, Spec> specs;

    private static synchronized Map<String, Spec> specs() {
        if (specs == null) {
            Map<String, Spec> s = new LinkedHashMap<>();
            socketSpecs(s);
            channelSpecs(s);
            configurationSpecs(s);
            valueSpecs(s);
            handleSpecs(s);
            specs = Collections.unmodifiableMap(s);
        }
        return specs;
    }

    private static void put(Map<String, Spec> specs, Spec spec) {
        assertThat(specs.put(spec.key(), spec)).as("spec %s twice", spec.key()).isNull();
    }

    private static void socketSpecs(Map<String, Spec> s) {
        put(s, Spec.of("QSocket.new(int)", port()));
        put(s, Spec.of("QSocket.new(int, InetAddress)", port(), ref("local address", LOOPBACK)
                .nullNotRun("null is the wildcard address, as QSocket(int, InetAddress, QosParams) shows; "
                        + "a call needs the default engine")));
        put(s, Spec.of("QSocket.new(int, InetAddress, QosParams)", port(), ref("local address", LOOPBACK)
                .nullAccepted(), ref("QoS params", r -> params())));
        put(s, Spec.of("QSocket.new(QosParams)", ref("QoS params", r -> params())));
        put(s, Spec.of("QSocket.new(SocketAddress, QosParams)", ref("bind address", new InetSocketAddress(LOOPBACK, 0))
                .nullAccepted(), ref("QoS params", r -> params())));
        put(s, Spec.on("QSocket.send(DatagramPacket, PacketFlags)", ApiMisuseTest::socket,
                datagram("packet", r -> packet(1), r -> packet(OVERSIZED)), ref("flags", PacketFlags.NONE))
                .afterClose(CLOSED));
        put(s, Spec.on("QSocket.send(DatagramPacket)", ApiMisuseTest::socket,
                datagram("packet", r -> packet(1), r -> packet(OVERSIZED))).afterClose(CLOSED));
        put(s, Spec.on("QSocket.receive(DatagramPacket)", ApiMisuseTest::socket, ref("packet", r -> packet(1)))
                .afterClose(CLOSED));
        put(s, Spec.on("QSocket.change(QosParams)", ApiMisuseTest::socket, ref("QoS params", r -> params()))
                .afterClose(CLOSED));
        put(s, Spec.on("QSocket.receiveQ()", ApiMisuseTest::socket).afterClose(CLOSED));
        // an empty queue: flush returns at once
        put(s, Spec.on("QSocket.flush(Duration)", ApiMisuseTest::socket,
                ref("flush timeout", Duration.ZERO).invalid(NEGATIVE)).afterClose(CLOSED));
        put(s, Spec.of("QDatagram.new(byte[], InetSocketAddress, long, int, boolean, long, boolean, boolean, long)",
                ref("data", new byte[1]), ref("sender", DISCARD), num("segment id", 1L, -2L, Long.MIN_VALUE),
                num("revision", 0, -1, 65_536), flag(), num("frame id", 0L, -2L), flag(), flag(),
                num("sender timestamp", 0L, -2L, 1L << 32)));
        put(s, Spec.of("QDatagram.plain(byte[], InetSocketAddress)", ref("data", new byte[1]),
                ref("sender", DISCARD)));
        for (String query : List.of("info", "params", "engine")) {
            put(s, Spec.on("QSocket." + query + "()", ApiMisuseTest::socket).afterClose(returns()));
        }
        put(s, Spec.of("QSockets.init(EngineConfig)", ref("engine config", EngineConfig.builder().build())));
        put(s, attach("QSockets.attach(DatagramSocket, QosParams)", "socket", ApiMisuseTest::boundSocket,
                r -> r.add(new DatagramSocket((java.net.SocketAddress) null))));
        put(s, attach("QSockets.attach(DatagramChannel, QosParams)", "channel", ApiMisuseTest::boundChannel,
                r -> r.add(DatagramChannel.open())));
    }

    /** Attaching needs an open, bound {@code what}. */
    private static Spec attach(String key, String what, Fn bound, Fn unbound) {
        return Spec.of(key, ref(what, bound).rejects("a closed " + what, r -> {
            AutoCloseable closed = (AutoCloseable) bound.apply(r);
            closed.close();
            return closed;
        }, invalid("closed")).rejects("an unbound " + what, unbound, invalid("unbound")),
                ref("QoS params", r -> params()));
    }

    private static void channelSpecs(Map<String, Spec> s) {
        put(s, Spec.of("QDatagramChannel.open(QosParams)", ref("QoS params", r -> params())));
        put(s, Spec.of("QDatagramChannel.open(ProtocolFamily)", ref("protocol family", StandardProtocolFamily.INET)));
        put(s, Spec.of("QDatagramChannel.open(ProtocolFamily, QosParams)",
                ref("protocol family", StandardProtocolFamily.INET), ref("QoS params", r -> params())));
        put(s, Spec.on("QDatagramChannel.send(ByteBuffer, SocketAddress, PacketFlags)", ApiMisuseTest::channel,
                buffer(), ref("target address", DISCARD), ref("flags", PacketFlags.NONE)).afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.send(ByteBuffer, SocketAddress)", ApiMisuseTest::channel,
                buffer(), ref("target address", DISCARD)).afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.write(ByteBuffer)", ApiMisuseTest::connectedChannel, buffer())
                .afterClose(CLOSED));
        // offsets and lengths out of bounds: IndexOutOfBoundsException, as GatheringByteChannel specifies
        put(s, Spec.on("QDatagramChannel.write(ByteBuffer[], int, int)", ApiMisuseTest::connectedChannel,
                ref("source buffers", r -> new ByteBuffer[] {ByteBuffer.allocate(1)})
                        .rejects("[null]", r -> new ByteBuffer[1], MisuseCases.Expect.nullRejected("srcs[0]")),
                num("offset", 0).outOfBounds(-1, 2, Integer.MIN_VALUE),
                num("length", 1).outOfBounds(-1, 2, Integer.MAX_VALUE))
                .also("2 x 40000 bytes", MisuseCases.Expect.oversized(80_000, Endpoint.MAX_IPV6_PAYLOAD),
                        r -> new ByteBuffer[] {ByteBuffer.allocate(40_000), ByteBuffer.allocate(40_000)},
                        r -> 0, r -> 2)
                .also("40000 x " + OVERSIZED + " bytes, past 2^31", MisuseCases.Expect.oversized(
                        40_000L * OVERSIZED, Endpoint.MAX_IPV6_PAYLOAD), r -> {
                            ByteBuffer[] many = new ByteBuffer[40_000];
                            Arrays.fill(many, ByteBuffer.allocate(OVERSIZED));
                            return many;
                        }, r -> 0, r -> 40_000)
                .afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.read(ByteBuffer)", ApiMisuseTest::connectedChannel,
                ref("destination buffer", r -> ByteBuffer.allocate(1))).afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.read(ByteBuffer[], int, int)", ApiMisuseTest::connectedChannel,
                ref("destination buffers", r -> new ByteBuffer[] {ByteBuffer.allocate(1)}),
                num("offset", 0).outOfBounds(-1, 2, Integer.MIN_VALUE),
                num("length", 1).outOfBounds(-1, 2, Integer.MAX_VALUE)).afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.receive(ByteBuffer)", ApiMisuseTest::channel,
                ref("destination buffer", r -> ByteBuffer.allocate(1))).afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.receiveQ()", ApiMisuseTest::channel).afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.readiness()", ApiMisuseTest::channel)
                .also("a blocking channel", thrown(java.nio.channels.IllegalBlockingModeException.class))
                .afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.bind(SocketAddress)", ApiMisuseTest::channel,
                ref("local address", new InetSocketAddress(LOOPBACK, 0)).nullAccepted()).afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.connect(SocketAddress)", ApiMisuseTest::channel,
                ref("remote address", DISCARD)).afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.setOption(SocketOption, Object)", ApiMisuseTest::channel,
                ref("socket option", StandardSocketOptions.SO_SNDBUF), ref("value", 65_536)).afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.getOption(SocketOption)", ApiMisuseTest::channel,
                ref("socket option", StandardSocketOptions.SO_SNDBUF)).afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.join(InetAddress, NetworkInterface)", ApiMisuseTest::channel,
                ref("multicast group", r -> InetAddress.getByName("239.1.2.3")),
                ref("network interface", r -> loopbackInterface())).afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.join(InetAddress, NetworkInterface, InetAddress)", ApiMisuseTest::channel,
                ref("multicast group", r -> InetAddress.getByName("232.1.2.3")),
                ref("network interface", r -> loopbackInterface()), ref("source address", LOOPBACK))
                .afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.getRemoteAddress()", ApiMisuseTest::channel).afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.getLocalAddress()", ApiMisuseTest::channel).afterClose(CLOSED));
        // after close, as DatagramChannel specifies: options listed, not connected, disconnect a no-op
        for (String query : List.of("supportedOptions", "isConnected", "disconnect", "params", "info")) {
            put(s, Spec.on("QDatagramChannel." + query + "()", ApiMisuseTest::channel).afterClose(returns()));
        }
        put(s, Spec.on("QDatagramChannel.socket()", ApiMisuseTest::channel)
                .also("an open channel", thrown(UnsupportedOperationException.class, "socket adaptor"))
                .afterClose(thrown(UnsupportedOperationException.class, "socket adaptor")));
        put(s, Spec.on("QDatagramChannel.change(QosParams)", ApiMisuseTest::channel, ref("QoS params", r -> params()))
                .afterClose(CLOSED));
        put(s, Spec.on("QDatagramChannel.flush(Duration)", ApiMisuseTest::channel,
                ref("flush timeout", Duration.ZERO).invalid(NEGATIVE)).afterClose(CLOSED));
        // a timeout past Long.MAX_VALUE ms waits without limit: here until the datagram arrives
        put(s, Spec.on("QDatagramChannel.awaitReadable(Duration)", ApiMisuseTest::readyChannel,
                ref("timeout", Duration.ZERO).invalid(NEGATIVE)
                        .rejects(BEYOND_NANOS.toString(), r -> BEYOND_NANOS, returnsValue(true)))
                .afterClose(returnsValue(true)));
    }

    private static void configurationSpecs(Map<String, Spec> s) {
        Fn engineConfig = r -> EngineConfig.builder();
        put(s, Spec.on("EngineConfig.Builder.name(String)", engineConfig, ref("engine name", "e").invalid("", " ")));
        put(s, Spec.on("EngineConfig.Builder.clock(NanoClock)", engineConfig, ref("clock", NanoClock.system())));
        put(s, Spec.on("EngineConfig.Builder.threadingMode(ThreadingMode)", engineConfig,
                ref("threading mode", ThreadingMode.INVOKER)));
        put(s, Spec.on("EngineConfig.Builder.scheduler(String)", engineConfig,
                ref("scheduler name", "fifo").invalid("", " ")));
        put(s, Spec.on("EngineConfig.Builder.egressRate(long)", engineConfig,
                num("egress rate", 0, -1, Long.MIN_VALUE)));
        put(s, Spec.on("EngineConfig.Builder.idleStrategy(IdleStrategy)", engineConfig,
                ref("idle strategy", IdleStrategy.busySpin())));
        put(s, Spec.on("EngineConfig.Builder.kernelOffload(KernelOffload)", engineConfig,
                ref("kernel offload", io.qsockets.KernelOffload.on("lo", 1_000_000)).nullAccepted()));

        Fn qos = r -> QosParams.builder();
        put(s, Spec.on("QosParams.Builder.engine(Engine)", qos, ref("engine", r -> engine).nullAccepted()));
        put(s, Spec.on("QosParams.Builder.scheduler(String)", qos,
                ref("scheduler name", "fifo").nullAccepted().invalid("", " ")));
        put(s, Spec.on("QosParams.Builder.attributes(SchedulerAttributes)", qos,
                ref("scheduler attributes", SchedulerAttributes.unpaced())));
        put(s, Spec.on("QosParams.Builder.transport(Transport)", qos, ref("transport", Transport.UDP)));
        put(s, Spec.on("QosParams.Builder.congestionControl(CongestionControl)", qos,
                ref("congestion control", io.qsockets.CongestionControl.NONE)));
        put(s, Spec.on("QosParams.Builder.backPressure(BackPressure)", qos, ref("back-pressure", BackPressure.DROP)));
        put(s, Spec.on("QosParams.Builder.sendQueueCapacity(int)", qos, num("send queue capacity", 1, 0, -1,
                QosParams.MAX_QUEUE_CAPACITY + 1, Integer.MAX_VALUE, Integer.MIN_VALUE)));
        put(s, Spec.on("QosParams.Builder.defaultFlags(PacketFlags)", qos, ref("default flags", PacketFlags.NONE)));
        put(s, Spec.on("QosParams.Builder.linger(Duration)", qos, ref("linger", Duration.ZERO)
                .invalid(NEGATIVE, QosParams.MAX_LINGER.plusNanos(1), BEYOND_NANOS)));
        put(s, Spec.on("QosParams.Builder.maxQueueDelay(Duration)", qos, ref("max queue delay", Duration.ofMillis(1))
                .nullAccepted().invalid(Duration.ZERO, NEGATIVE, QosParams.MAX_QUEUE_DELAY.plusNanos(1), BEYOND_NANOS)));
        put(s, Spec.on("QosParams.Builder.maxPacketSize(int)", qos, num("max packet size", QosParams.MIN_PACKET_SIZE,
                QosParams.MIN_PACKET_SIZE - 1, QosParams.MAX_PACKET_SIZE + 1, 0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE)));
        put(s, Spec.on("QosParams.Builder.peerIdleTimeout(Duration)", qos, ref("peer idle timeout", Duration.ofSeconds(2))
                .invalid(Duration.ZERO, NEGATIVE, QosParams.MAX_PEER_IDLE_TIMEOUT.plusNanos(1), BEYOND_NANOS)));
        put(s, Spec.on("QosParams.Builder.keepAlive(Duration)", qos, ref("keepalive", Duration.ofMillis(500))
                .invalid(Duration.ZERO, NEGATIVE, QosParams.MAX_PEER_IDLE_TIMEOUT.plusNanos(1), BEYOND_NANOS)));
        put(s, Spec.on("QosParams.Builder.connectTimeout(Duration)", qos, ref("connect timeout", Duration.ofMillis(1))
                .invalid(Duration.ZERO, NEGATIVE, QosParams.MAX_CONNECT_TIMEOUT.plusNanos(1), BEYOND_NANOS)));

        Fn flags = r -> PacketFlags.builder();
        put(s, Spec.on("PacketFlags.Builder.deadline(Duration)", flags, deadline("deadline").nullAccepted()));
        put(s, Spec.on("PacketFlags.Builder.grace(Duration)", flags, deadline("grace period").nullAccepted()));
        put(s, Spec.on("PacketFlags.Builder.dropPriority(int)", flags, byteRange("drop priority")));
        put(s, Spec.on("PacketFlags.Builder.priority(int)", flags, byteRange("priority")));
        put(s, Spec.on("PacketFlags.Builder.maxAttempts(int)", flags, num("max attempts", 1, -1,
                PacketFlags.MAX_ATTEMPTS + 1, Integer.MAX_VALUE, Integer.MIN_VALUE)));
        put(s, Spec.on("PacketFlags.Builder.frame(long, boolean, boolean)", flags,
                num("frame id", 0, -1, Long.MIN_VALUE), flag(), flag()));
        put(s, Spec.on("PacketFlags.withDeadline(Duration)", receiverOf(PacketFlags.NONE),
                deadline("deadline").nullAccepted()));
        put(s, Spec.on("PacketFlags.withFrame(long, boolean, boolean)", receiverOf(PacketFlags.NONE),
                num("frame id", 0, -1, Long.MIN_VALUE), flag(), flag()));

        put(s, Spec.of("SchedulerAttributes.paced(Duration)",
                ref("period", Duration.ofMillis(1)).invalid(Duration.ZERO, NEGATIVE, BEYOND_NANOS)));
        put(s, Spec.of("SchedulerAttributes.rate(double)", num("rate", 1.0, 0.0, -1.0, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
        put(s, Spec.of("SchedulerAttributes.Paced.new(long)", num("period", 0, -1, Long.MIN_VALUE)));
        put(s, Spec.of("DwcsAttributes.new(long, int, int, Set)", num("period", 0, -1, Long.MIN_VALUE),
                num("loss numerator", 0, -1, 5, Integer.MAX_VALUE, Integer.MIN_VALUE),
                num("loss denominator", 4, 0, -1, Integer.MIN_VALUE),
                ref("flags", Set.of()).nullAccepted().rejects("{null}", r -> Collections.singleton(null),
                        MisuseCases.Expect.nullRejected("flags"))));
        put(s, Spec.of("DwcsAttributes.of(Duration, int, int, Flag[])",
                ref("period", Duration.ofMillis(10)).invalid(NEGATIVE, BEYOND_NANOS),
                num("loss numerator", 0, -1, 5, Integer.MAX_VALUE, Integer.MIN_VALUE),
                num("loss denominator", 4, 0, -1, Integer.MIN_VALUE),
                ref("flags", new DwcsAttributes.Flag[0]).rejects("[null]", r -> new DwcsAttributes.Flag[1],
                        MisuseCases.Expect.nullRejected("flags"))));
        put(s, Spec.on("DwcsAttributes.has(Flag)", receiverOf(DwcsAttributes.of(Duration.ofMillis(10), 0, 1)),
                ref("flag", DwcsAttributes.Flag.LOSSLESS)));
        put(s, Spec.of("IdleStrategy.parkThenSpin(Duration)",
                ref("spin window", Duration.ZERO).invalid(NEGATIVE, BEYOND_NANOS)));
        put(s, Spec.of("KernelOffload.new(String, long, int)",
                ref("device name", "eth0").invalid("", "a/b", "with space", "sixteen-letters!"),
                num("link rate", 1_000_000, 0, -1, Long.MIN_VALUE),
                num("packet size", 0, -1, 63, 65_536, Integer.MAX_VALUE, Integer.MIN_VALUE)));
        put(s, Spec.of("KernelOffload.on(String, long)", ref("device name", "eth0").invalid("", "a:b"),
                num("link rate", 1_000_000, 0, -1, Long.MIN_VALUE)));
        put(s, Spec.of("KernelOffloadException.new(String)", ref("message", "m").nullAccepted()));
        put(s, Spec.of("KernelOffloadException.new(String, Throwable)", ref("message", "m").nullAccepted(),
                ref("cause", new IOException()).nullAccepted()));
    }

    private static void valueSpecs(Map<String, Spec> s) {
        Fn clock = r -> new ManualNanoClock(1_000);
        put(s, Spec.on("ManualNanoClock.advance(long)", clock, num("advance", 1, -1, Long.MIN_VALUE, Long.MAX_VALUE)));
        put(s, Spec.on("ManualNanoClock.advance(Duration)", clock,
                ref("advance", Duration.ofMillis(1)).invalid(NEGATIVE, LONG_MAX_NANOS, BEYOND_NANOS)));
        put(s, Spec.on("ManualNanoClock.set(long)", clock, num("reading", 2_000, 999, -1, Long.MIN_VALUE)));

        // snapshots the runtime builds: the references are checked, the numbers are measurements
        MisuseCases.Arg[] head = {ref("scheduler", "fifo"), ref("transport", Transport.UDP),
            ref("scheduler attributes", SchedulerAttributes.unpaced())};
        MisuseCases.Arg[] counts = new MisuseCases.Arg[14];
        Arrays.setAll(counts, i -> measured());
        MisuseCases.Arg stats = ref("scheduler stats", SchedulerStats.NONE);
        put(s, Spec.of("QInfo.new(String, Transport, SchedulerAttributes, long, long, long, long, long, long, long, "
                + "int, long, long, double, double, long, long, SchedulerStats)", concat(head, counts, stats)));
        put(s, Spec.of("QInfo.new(String, Transport, SchedulerAttributes, long, long, long, long, long, long, long, "
                + "int, long, long, double, double, long, long, SchedulerStats, KernelStats, DccpStats)",
                concat(head, counts, stats, ref("kernel stats", KernelStats.NONE), ref("DCCP stats", DccpStats.NONE))));
        put(s, Spec.on("QInfo.withKernel(KernelStats)", r -> info(), ref("kernel stats", KernelStats.NONE)));
        put(s, Spec.on("QInfo.withDccp(DccpStats)", r -> info(), ref("DCCP stats", DccpStats.NONE)));
        put(s, Spec.of("ConnectionInfo.new(InetSocketAddress, String, int, int, long, long, long, long, long, double, "
                + "long)", ref("peer", DISCARD), ref("state", "OPEN"), measured(), measured(), measured(), measured(),
                measured(), measured(), measured(), measured(), measured()));
        put(s, Spec.of("DccpStats.new(List, long, long, long, long, long, long, List)", ref("connections", List.of()),
                measured(), measured(), measured(), measured(), measured(), measured(), ref("failures", List.of())));
        put(s, Spec.of("PeerFailure.new(InetSocketAddress, Reason, String, long)", ref("peer", DISCARD),
                ref("reason", io.qsockets.PeerFailure.Reason.SILENT), ref("detail", "gone"),
                num("failed packets", 0, -1, Long.MIN_VALUE)));
        put(s, Spec.of("KernelStats.new(String, long, long, long, long, long, long, long, long)",
                ref("class id", "1:10"), measured(), measured(), measured(), measured(), measured(), measured(),
                measured(), measured()));
    }

    private static MisuseCases.Arg[] concat(MisuseCases.Arg[] head, MisuseCases.Arg[] counts,
            MisuseCases.Arg... tail) {
        return Stream.of(head, counts, tail).flatMap(Arrays::stream).toArray(MisuseCases.Arg[]::new);
    }

    private static void handleSpecs(Map<String, Spec> s) {
        // a final (cancelled) segment takes no more changes: false, as Segment specifies
        put(s, Spec.on("Segment.update(byte[])", ApiMisuseTest::segment,
                ref("content", r -> new byte[2]).rejects("5 bytes", r -> new byte[5], invalid("content", "5 bytes")))
                .afterClose(returnsValue(false)));
        put(s, Spec.on("Segment.relaxDeadline(Duration)", ApiMisuseTest::segment, deadline("deadline"))
                .afterClose(returnsValue(false)));
        put(s, Spec.on("Segment.cancel()", ApiMisuseTest::segment).afterClose(returnsValue(false)));
        for (String query : List.of("id", "state", "outcome", "attempts", "length", "submittedNanos",
                "lastTransmitNanos")) {
            put(s, Spec.on("Segment." + query + "()", ApiMisuseTest::segment).afterClose(returns()));
        }
        put(s, Spec.on("Engine.doWork()", ApiMisuseTest::newEngine).afterClose(CLOSED));
        put(s, Spec.on("Engine.isClosed()", ApiMisuseTest::newEngine).afterClose(returnsValue(true)));
        for (String query : List.of("config", "nextDeadlineNanos", "close")) {
            put(s, Spec.on("Engine." + query + "()", ApiMisuseTest::newEngine).afterClose(returns()));
        }
    }
}
