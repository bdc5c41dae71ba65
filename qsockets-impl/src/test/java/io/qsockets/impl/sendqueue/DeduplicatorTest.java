package io.qsockets.impl.sendqueue;

import static io.qsockets.impl.sendqueue.Deduplicator.Outcome.DELIVER;
import static io.qsockets.impl.sendqueue.Deduplicator.Outcome.DELIVER_UPDATE;
import static io.qsockets.impl.sendqueue.Deduplicator.Outcome.DUPLICATE;
import static io.qsockets.impl.sendqueue.Deduplicator.Outcome.STALE_REVISION;
import static io.qsockets.impl.sendqueue.Deduplicator.Outcome.TOO_OLD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DeduplicatorTest {
    private final Deduplicator dedup = new Deduplicator(16);

    @Test
    void eachRevisionOnceLatestWinsOlderDropped() {
        assertThat(dedup.accept(5, 0)).isEqualTo(DELIVER);
        assertThat(dedup.accept(5, 0)).isEqualTo(DUPLICATE);
        assertThat(dedup.accept(5, 2)).isEqualTo(DELIVER_UPDATE);
        assertThat(dedup.accept(5, 1)).isEqualTo(STALE_REVISION);
        assertThat(dedup.accept(5, 2)).isEqualTo(DUPLICATE);
        assertThat(dedup.accept(3, 4)).isEqualTo(DELIVER); // first to arrive, even if not revision 0
        assertThat(dedup.accept(4, 0)).isEqualTo(DELIVER); // out of order, inside the window
        assertThat(dedup.delivered()).isEqualTo(4);
        assertThat(dedup.updates()).isEqualTo(1);
        assertThat(dedup.duplicates()).isEqualTo(2);
        assertThat(dedup.staleRevisions()).isEqualTo(1);
        assertThat(DELIVER_UPDATE.deliver()).isTrue();
        assertThat(DUPLICATE.deliver()).isFalse();
    }

    @Test
    void idsOlderThanTheWindowAreDroppedAndSlotsAreReused() {
        assertThat(dedup.accept(0, 0)).isEqualTo(DELIVER);
        assertThat(dedup.accept(15, 0)).isEqualTo(DELIVER);
        assertThat(dedup.accept(0, 0)).isEqualTo(DUPLICATE); // 15 - 0 < 16: still remembered
        assertThat(dedup.accept(16, 0)).isEqualTo(DELIVER); // takes 0's slot
        assertThat(dedup.accept(0, 0)).isEqualTo(TOO_OLD);
        assertThat(dedup.accept(1, 0)).isEqualTo(DELIVER); // in the window, never seen
        assertThat(dedup.accept(20, 0)).isEqualTo(DELIVER);
        assertThat(dedup.accept(17, 0)).isEqualTo(DELIVER); // its slot held 1 until 20 passed it
        assertThat(dedup.accept(1, 0)).isEqualTo(TOO_OLD);
        assertThat(dedup.accept(1_000, 3)).isEqualTo(DELIVER); // a jump clears everything
        assertThat(dedup.accept(1_000 - 16, 0)).isEqualTo(TOO_OLD);
        assertThat(dedup.accept(1_000 - 15, 0)).isEqualTo(DELIVER);
        assertThat(dedup.accept(-1, 0)).isEqualTo(TOO_OLD);
        assertThat(dedup.accept(1_000, -1)).isEqualTo(TOO_OLD);
        assertThat(dedup.tooOld()).isEqualTo(5);
    }

    @Test
    void windowMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new Deduplicator(100)).hasMessageContaining("window 100 must be a power of two");
        assertThatThrownBy(() -> new Deduplicator(8)).hasMessageContaining("window 8");
    }
}
