package io.qsockets.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.spi.SocketClassifierProvider;
import io.qsockets.spi.SocketIdentity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class InodeClassifierTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private final SocketLocator locator = new SocketLocator();
    private final InodeClassifier classifier = new InodeClassifier(locator);

    @Test
    void isTheClassifierEnginesFindThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(SocketClassifierProvider.class).stream().map(p -> p.get().name()))
                .contains(InodeClassifierProvider.NAME);
        assertThat(new InodeClassifierProvider().create()).isInstanceOf(InodeClassifier.class);
    }

    @Test
    void eachSocketIsOneStreamWithDenseIdsReusedAfterRelease() throws Exception {
        try (DatagramChannel a = DatagramChannel.open(); DatagramChannel b = DatagramChannel.open();
                DatagramChannel c = DatagramChannel.open()) {
            SocketIdentity ia = new SocketIdentity(a, null, -1);
            SocketIdentity ib = new SocketIdentity(b, null, -1);

            assertThat(classifier.classify(ia)).isZero();
            assertThat(classifier.classify(ib)).isEqualTo(1);
            assertThat(classifier.classify(new SocketIdentity(a, null, -1))).isZero();
            classifier.release(ia);
            assertThat(classifier.classify(new SocketIdentity(c, null, -1))).isZero();
            assertThat(classifier.size()).isEqualTo(2);
        }
    }

    @Test
    void findsTheStreamOfAnInodeOnceTheSocketIsBound() throws Exception {
        try (DatagramChannel a = DatagramChannel.open(); DatagramChannel b = DatagramChannel.open()) {
            int streamA = classifier.classify(new SocketIdentity(a, null, -1)); // registered unbound
            int streamB = classifier.classify(new SocketIdentity(b, null, -1));
            assertThat(classifier.nativeSocket(streamA)).isNull();
            a.bind(ANY_LOOPBACK);
            b.bind(ANY_LOOPBACK);

            long inodeA = locator.locate(a).inode();
            long inodeB = locator.locate(b).inode();

            assertThat(classifier.streamOf(inodeB)).isEqualTo(streamB);
            assertThat(classifier.streamOf(inodeA)).isEqualTo(streamA);
            assertThat(classifier.nativeSocket(streamA).inode()).isEqualTo(inodeA);
            assertThat(classifier.streamOf(inodeA + inodeB)).isEqualTo(-1);
        }
    }

    @Test
    void aReleasedSocketsInodeNoLongerClassifies() throws Exception {
        try (DatagramChannel a = DatagramChannel.open().bind(ANY_LOOPBACK)) {
            SocketIdentity identity = new SocketIdentity(a, null, -1);
            classifier.classify(identity);
            long inode = locator.locate(a).inode();
            assertThat(classifier.streamOf(inode)).isZero();

            classifier.release(identity);

            assertThat(classifier.streamOf(inode)).isEqualTo(-1);
            assertThat(classifier.nativeSocket(0)).isNull();
        }
    }

    @Test
    void anInodeTheIdentityCarriesIsTakenAsGiven() throws Exception {
        try (DatagramChannel a = DatagramChannel.open()) {
            int stream = classifier.classify(new SocketIdentity(a, null, 4242));

            assertThat(classifier.streamOf(4242)).isEqualTo(stream);
        }
    }
}
