package io.qsockets.scheduler.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link IndexedHeap} against a sorted set, over random adds, removals, re-keyings and polls. */
@Timeout(30)
class IndexedHeapTest {

    static final class Item implements IndexedHeap.Node {
        final int id;
        long key;
        long tie;
        int rank;
        int index = -1;

        Item(int id) {
            this.id = id;
        }

        @Override
        public int heapIndex() {
            return index;
        }

        @Override
        public long heapTie(int word) {
            return word == 0 ? tie : rank;
        }

        @Override
        public void heapIndex(int i) {
            index = i;
        }
    }

    private static final Comparator<Item> RANK = Comparator.comparingInt(i -> i.rank);
    private static final Comparator<Item> FULL = Comparator.<Item>comparingLong(i -> i.key)
            .thenComparingLong(i -> i.tie).thenComparing(RANK).thenComparingInt(i -> i.id);

    @Test
    void behavesLikeASortedSet() {
        SplittableRandom r = new SplittableRandom(9);
        // key, two tie words (tie, rank), then the comparator (id): a total order, as the reference's
        IndexedHeap<Item> heap = new IndexedHeap<>(2, Comparator.comparingInt(i -> i.id));
        TreeSet<Item> reference = new TreeSet<>(FULL);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            items.add(new Item(i));
        }
        for (int step = 0; step < 200_000; step++) {
            Item it = items.get(r.nextInt(items.size()));
            switch (r.nextInt(5)) {
                case 0, 1 -> {
                    reference.remove(it);
                    it.key = r.nextInt(20);
                    it.tie = r.nextInt(3);
                    it.rank = r.nextInt(4);
                    heap.update(it, it.key);
                    reference.add(it);
                }
                case 2 -> {
                    heap.remove(it);
                    reference.remove(it);
                    assertThat(heap.contains(it)).isFalse();
                }
                case 3 -> {
                    Item top = heap.poll();
                    assertThat(top).isSameAs(reference.pollFirst());
                }
                default -> {
                    assertThat(heap.peek()).isSameAs(reference.isEmpty() ? null : reference.first());
                    assertThat(heap.peekKey()).isEqualTo(reference.isEmpty() ? Long.MAX_VALUE : reference.first().key);
                }
            }
            assertThat(heap.size()).isEqualTo(reference.size());
        }
    }

    @Test
    void comparatorOnlyHeapsKeepWorking() {
        // the FIFO discipline's use: no keys, update(node) after the comparator's fields change
        IndexedHeap<Item> heap = new IndexedHeap<>(RANK);
        Item a = new Item(1);
        Item b = new Item(2);
        a.rank = 5;
        b.rank = 3;
        heap.add(a);
        heap.add(b);
        assertThat(heap.peek()).isSameAs(b);
        a.rank = 1;
        heap.update(a);
        assertThat(heap.poll()).isSameAs(a);
        assertThat(heap.poll()).isSameAs(b);
        assertThat(heap.poll()).isNull();
    }
}
