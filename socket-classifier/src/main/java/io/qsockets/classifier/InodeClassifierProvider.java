package io.qsockets.classifier;

import io.qsockets.spi.SocketClassifier;
import io.qsockets.spi.SocketClassifierProvider;

/** Provides the {@link InodeClassifier} to engines, through {@link java.util.ServiceLoader}. */
public final class InodeClassifierProvider implements SocketClassifierProvider {
    /** The classifier's name. */
    public static final String NAME = "inode";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SocketClassifier create() {
        return new InodeClassifier(new SocketLocator());
    }
}
