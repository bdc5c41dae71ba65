package io.qsockets.classifier.htb;

import io.qsockets.KernelOffload;
import io.qsockets.spi.KernelPath;
import io.qsockets.spi.KernelPathProvider;

/** Provides the Linux {@link HtbKernelPath}, through {@link java.util.ServiceLoader}. */
public final class HtbKernelPathProvider implements KernelPathProvider {
    /** The provider's name. */
    public static final String NAME = "linux-htb";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public KernelPath open(KernelOffload offload) {
        return HtbKernelPath.open(offload);
    }
}
