package io.qsockets.spi;

/**
 * Makes {@link SocketClassifier}s, found through {@link java.util.ServiceLoader}. When none is
 * present the engine classifies by the socket object itself.
 */
public interface SocketClassifierProvider {

    /** @return the classifier's name */
    String name();

    /** @return a new classifier for one engine */
    SocketClassifier create();
}
