package io.qsockets.spi;

import io.qsockets.KernelOffload;

/**
 * Makes {@link KernelPath}s: hands per-socket scheduling to an operating system's traffic
 * control. Found through {@link java.util.ServiceLoader} when an engine is configured with
 * {@link io.qsockets.EngineConfig#kernelOffload()}; the socket-classifier module provides the
 * Linux one (HTB classes selected by {@code SO_PRIORITY}).
 */
public interface KernelPathProvider {

    /** @return the provider's name, e.g. {@code "linux-htb"} */
    String name();

    /**
     * Installs the root of the kernel path on the device (privileged).
     *
     * @throws io.qsockets.KernelOffloadException saying what is missing (platform, privilege, tool,
     *     device) and how to get it, or what the kernel refused
     */
    KernelPath open(KernelOffload offload);
}
