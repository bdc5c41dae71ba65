package io.qsockets.spi;

import io.qsockets.KernelOffload;
import io.qsockets.SchedulerAttributes;

/**
 * The kernel side of one engine: a root qdisc on one device, with a default class for
 * unclassified traffic and one class per socket. Thread-safe; calls may block for the time the
 * kernel takes (milliseconds), so they stay off the engine's duty cycle.
 */
public interface KernelPath extends AutoCloseable {

    /** @return what was installed */
    KernelOffload offload();

    /**
     * Gives an open, bound socket a class of its own, with a rate derived from
     * {@code attributes}, and marks the socket's traffic for that class.
     *
     * @param socket a {@link java.net.DatagramSocket} (a {@code QSocket} included) or a
     *     {@link java.nio.channels.DatagramChannel}, in the network namespace of the device
     * @throws IllegalArgumentException if {@code socket} is of another type, closed or unbound
     * @throws io.qsockets.KernelOffloadException if the socket cannot be identified or the kernel
     *     refuses the class
     */
    KernelClass addSocket(Object socket, SchedulerAttributes attributes);

    /**
     * Removes every class and the root qdisc, so that the device is as it was found, and unmarks
     * the sockets still open. Idempotent.
     */
    @Override
    void close();
}
