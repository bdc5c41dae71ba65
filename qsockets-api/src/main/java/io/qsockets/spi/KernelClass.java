package io.qsockets.spi;

import io.qsockets.KernelStats;
import io.qsockets.SchedulerAttributes;

/** One socket's class on a {@link KernelPath}. Thread-safe. */
public interface KernelClass extends AutoCloseable {

    /**
     * Re-derives the class's rate from new attributes ({@code qchange}).
     *
     * @throws IllegalStateException if the class was closed
     * @throws io.qsockets.KernelOffloadException if the kernel refuses the change
     */
    void change(SchedulerAttributes attributes);

    /** @return the class's rates and counters now, or {@link KernelStats#NONE} once closed */
    KernelStats stats();

    /**
     * Removes the class, and unmarks the socket if it is still open; its later traffic goes to
     * the default class. Idempotent.
     */
    @Override
    void close();
}
