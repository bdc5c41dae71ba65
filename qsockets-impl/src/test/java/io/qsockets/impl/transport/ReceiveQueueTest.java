package io.qsockets.impl.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReceiveQueueTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 4000);

    @Test
    void deliversCopiesInOrderAndDropsTheNewestWhenFull() throws Exception {
        ReceiveQueue q = new ReceiveQueue(2);
        ByteBuffer b = ByteBuffer.wrap(new byte[] {1, 2, 3});
        assertThat(q.deliver(b, PEER)).isTrue();
        assertThat(b.hasRemaining()).isFalse();
        assertThat(q.deliver(ByteBuffer.wrap(new byte[] {4}), PEER)).isTrue();
        assertThat(q.deliver(ByteBuffer.wrap(new byte[] {5}), PEER)).isFalse();
        assertThat(q.dropped()).isEqualTo(1);
        assertThat(q.size()).isEqualTo(2);
        b.array()[0] = 9;
        assertThat(q.take(0).data()).containsExactly(1, 2, 3);
        assertThat(q.poll().data()).containsExactly(4);
        assertThat(q.poll()).isNull();
        assertThat(q.isReadable()).isFalse();
    }

    @Test
    void aTimedTakeTimesOutAsDatagramSocketDoes() {
        ReceiveQueue q = new ReceiveQueue(4);
        assertThatThrownBy(() -> q.take(20)).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void closeWakesEveryWaiterAndLaterCallsFail() throws Exception {
        ReceiveQueue q = new ReceiveQueue(4);
        CompletableFuture<Throwable> w1 = waiter(q);
        CompletableFuture<Throwable> w2 = waiter(q);
        q.close();
        assertThat(w1.get(5, TimeUnit.SECONDS)).isInstanceOf(SocketException.class);
        assertThat(w2.get(5, TimeUnit.SECONDS)).isInstanceOf(SocketException.class);
        assertThatThrownBy(() -> q.take(0)).isInstanceOf(SocketException.class);
        assertThatThrownBy(q::poll).isInstanceOf(SocketException.class);
        assertThat(q.deliver(ByteBuffer.wrap(new byte[1]), PEER)).isFalse();
        assertThat(q.size()).isZero();
    }

    @Test
    void rejectsACapacityBelowOne() {
        assertThatThrownBy(() -> new ReceiveQueue(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1").hasMessageContaining("0");
    }

    private static CompletableFuture<Throwable> waiter(ReceiveQueue q) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                q.take(0);
                return null;
            } catch (Exception e) {
                return e;
            }
        });
    }
}
