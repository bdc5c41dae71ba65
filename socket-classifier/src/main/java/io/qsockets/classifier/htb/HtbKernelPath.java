package io.qsockets.classifier.htb;

import io.qsockets.KernelOffload;
import io.qsockets.KernelOffloadException;
import io.qsockets.SchedulerAttributes;
import io.qsockets.classifier.NativeSocket;
import io.qsockets.classifier.SocketLocator;
import io.qsockets.classifier.linux.SocketOptionException;
import io.qsockets.classifier.linux.SocketOptions;
import io.qsockets.spi.KernelClass;
import io.qsockets.spi.KernelPath;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Linux kernel path: an HTB root qdisc {@code 1:} on the device, a root class {@code 1:1}
 * shaped to the link rate, a default class {@code 1:ffff} for unclassified traffic, and a class
 * {@code 1:N} per socket, which the socket selects by {@code SO_PRIORITY = 0x1000N} (HTB takes a
 * priority naming one of its leaf classes as that class; no filter is needed). Rates follow
 * {@link HtbRates}. The device must have the kernel's default root qdisc when the path opens; closing
 * the path deletes the HTB root, and the kernel puts the default back: the device is as it was
 * found. A shutdown hook does the same if the JVM exits first.
 *
 * <p>All work runs on one {@link NamespaceWorker}, in the network namespace of the thread that
 * opened the path. Thread-safe.
 */
public final class HtbKernelPath implements KernelPath {
    static final int MAJOR = 1;
    static final int ROOT_MINOR = 1;
    static final int DEFAULT_MINOR = 0xffff;
    static final int FIRST_SOCKET_MINOR = 0x10;
    private static final Pattern ROOT_QDISC = Pattern.compile("qdisc (\\S+) (\\S+) root");
    private static final Pattern LINK = Pattern.compile("(?m)^\\d+: ([^:@\\s]+)[^:]*:.* mtu (\\d+)");

    private final KernelOffload offload;
    private final String device;
    private final Commands commands;
    private final NamespaceWorker worker;
    private final SocketLocator locator = new SocketLocator();
    private final BitSet minors = new BitSet();
    private final Map<Integer, HtbClass> classes = new LinkedHashMap<>();
    private final Thread restoreOnExit;
    private int packetSize;
    private volatile boolean closed;

    private HtbKernelPath(KernelOffload offload, Commands commands, NamespaceWorker worker) {
        this.offload = offload;
        this.device = offload.device();
        this.commands = commands;
        this.worker = worker;
        this.restoreOnExit = new Thread(this::close, "qsockets-kernel-restore-" + device);
    }

    /**
     * Checks the host, then installs the HTB tree on the device, in the calling thread's network
     * namespace.
     *
     * @throws KernelOffloadException saying what is missing and how to get it, or what the kernel
     *     refused; nothing is left installed
     */
    public static HtbKernelPath open(KernelOffload offload) {
        NamespaceWorker worker = new NamespaceWorker("qsockets-kernel-" + offload.device());
        try {
            HostFacts facts = worker.call(HostFacts::current);
            facts.require(offload.device());
            HtbKernelPath path = new HtbKernelPath(offload, new Commands(facts.tc(), facts.ip()), worker);
            worker.call(path::install);
            Runtime.getRuntime().addShutdownHook(path.restoreOnExit);
            return path;
        } catch (RuntimeException | Error e) {
            worker.close();
            throw e;
        }
    }

    private Void install() {
        String links = commands.ip("-o", "link", "show");
        Map<String, Integer> mtus = new LinkedHashMap<>();
        for (Matcher m = LINK.matcher(links); m.find();) {
            mtus.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        if (!mtus.containsKey(device)) {
            throw new KernelOffloadException("network device '" + device + "' does not exist in the network namespace "
                    + "of the thread calling QSockets.init (devices there: " + String.join(", ", mtus.keySet())
                    + "): name a device that 'ip link' lists, or call init from a thread in the device's namespace");
        }
        packetSize = offload.packetSizeBytes() > 0 ? offload.packetSizeBytes() : mtus.get(device);
        Matcher root = ROOT_QDISC.matcher(commands.tc("qdisc", "show", "dev", device, "root"));
        if (root.find() && !root.group(2).equals("0:")) {
            throw new KernelOffloadException("device " + device + " already has a root qdisc '" + root.group(1) + " "
                    + root.group(2) + "' that kernel offload would replace: remove it ('tc qdisc del dev " + device
                    + " root') or offload onto another device");
        }
        long link = offload.linkRateBitsPerSecond();
        commands.tc("qdisc", "add", "dev", device, "root", "handle", MAJOR + ":", "htb", "default",
                Integer.toHexString(DEFAULT_MINOR));
        try {
            commands.tc("class", "add", "dev", device, "parent", MAJOR + ":", "classid", classId(ROOT_MINOR), "htb",
                    "rate", link + "bit", "ceil", link + "bit", "quantum", Integer.toString(HtbRates.quantum(packetSize)));
            addOrChange("add", DEFAULT_MINOR, HtbRates.defaultRate(link), 7);
        } catch (RuntimeException e) {
            commands.tcQuietly("qdisc", "del", "dev", device, "root");
            throw e;
        }
        return null;
    }

    @Override
    public KernelOffload offload() {
        return offload;
    }

    /** @return the IP packet size the socket rates are computed from: the configured one, or the MTU */
    public int packetSizeBytes() {
        return packetSize;
    }

    @Override
    public KernelClass addSocket(Object socket, SchedulerAttributes attributes) {
        return worker.call(() -> {
            checkOpen();
            NativeSocket ns;
            try {
                ns = locator.locate(socket);
            } catch (IllegalStateException e) {
                throw new KernelOffloadException("cannot give " + socket + " a class on " + device + ": "
                        + e.getMessage(), e);
            }
            int minor = minors.nextClearBit(FIRST_SOCKET_MINOR);
            if (minor >= DEFAULT_MINOR) {
                throw new KernelOffloadException("device " + device + " has " + classes.size()
                        + " socket classes, the most HTB allows here");
            }
            long rate = HtbRates.socketRate(attributes, packetSize, offload.linkRateBitsPerSecond());
            addOrChange("add", minor, rate, 0);
            int previous;
            try {
                previous = SocketOptions.priority(ns);
                SocketOptions.setPriority(ns, classHandle(minor));
            } catch (SocketOptionException e) {
                commands.tcQuietly("class", "del", "dev", device, "classid", classId(minor));
                throw new KernelOffloadException("cannot mark " + socket + " for class " + classId(minor) + ": "
                        + e.getMessage(), e);
            }
            minors.set(minor);
            HtbClass c = new HtbClass(this, socket, ns, minor, rate, previous);
            classes.put(minor, c);
            return c;
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            worker.call(() -> {
                if (!closed) {
                    closed = true;
                    for (HtbClass c : new ArrayList<>(classes.values())) {
                        c.unmark();
                    }
                    classes.clear();
                    commands.tcQuietly("qdisc", "del", "dev", device, "root");
                }
                return null;
            });
        } finally {
            worker.close();
            if (Thread.currentThread() != restoreOnExit) {
                try {
                    Runtime.getRuntime().removeShutdownHook(restoreOnExit);
                } catch (IllegalStateException e) {
                    // the JVM is exiting: the hook runs, and finds the path closed
                }
            }
        }
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "HtbKernelPath[" + offload + (closed ? ", closed" : "") + "]";
    }

    // ---- for HtbClass, on the worker ----

    <T> T onWorker(java.util.concurrent.Callable<T> task) {
        return worker.call(task);
    }

    void addOrChange(String verb, int minor, long rate, int prio) {
        long ceil = offload.linkRateBitsPerSecond();
        commands.tc("class", verb, "dev", device, "parent", classId(ROOT_MINOR), "classid", classId(minor), "htb",
                "rate", rate + "bit", "ceil", ceil + "bit", "prio", Integer.toString(prio), "quantum",
                Integer.toString(HtbRates.quantum(packetSize)));
    }

    String showClass(int minor) {
        return commands.tc("-s", "class", "show", "dev", device, "classid", classId(minor));
    }

    void remove(HtbClass c) {
        if (classes.remove(c.minor(), c)) {
            minors.clear(c.minor());
            if (!closed) {
                commands.tc("class", "del", "dev", device, "classid", classId(c.minor()));
            }
        }
    }

    SocketLocator locator() {
        return locator;
    }

    int packetSize() {
        return packetSize;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the kernel path on " + device + " is closed");
        }
    }

    static String classId(int minor) {
        return MAJOR + ":" + Integer.toHexString(minor);
    }

    static int classHandle(int minor) {
        return (MAJOR << 16) | minor;
    }

    /** @return the sockets' class ids, in the order they were added; for tests and diagnostics */
    public List<String> classIds() {
        return worker.call(() -> classes.keySet().stream().map(HtbKernelPath::classId).toList());
    }
}
