package io.qsockets;

/**
 * A socket's class in the kernel (an HTB class under {@link KernelOffload}): its rates and
 * the kernel's counters, as {@code tc -s class show} reports them. Immutable.
 *
 * @param classId the class, e.g. {@code "1:10"}; empty when the socket has none
 * @param rateBitsPerSecond the guaranteed rate
 * @param ceilBitsPerSecond the most the class may borrow up to
 * @param bytes bytes the class sent
 * @param packets packets the class sent
 * @param drops packets the class dropped
 * @param overlimits times the class was over its rate
 * @param backlogBytes bytes queued in the class now (approximate above 1 KiB, as tc prints it)
 * @param backlogPackets packets queued in the class now
 */
public record KernelStats(String classId, long rateBitsPerSecond, long ceilBitsPerSecond, long bytes, long packets,
        long drops, long overlimits, long backlogBytes, long backlogPackets) {

    /** A socket without a kernel class. */
    public static final KernelStats NONE = new KernelStats("", 0, 0, 0, 0, 0, 0, 0, 0);

    /** Validates the class id. */
    public KernelStats {
        java.util.Objects.requireNonNull(classId, "class id must not be null");
    }
}
