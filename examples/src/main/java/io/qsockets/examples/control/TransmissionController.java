package io.qsockets.examples.control;

import io.qsockets.NanoClock;
import io.qsockets.Segment;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The transmission controller of the DCCP/TP paper (§3.4): the application's hold on segments it
 * has submitted but that are not final yet. Three policies, each optional:
 *
 * <ul>
 *   <li><b>cancel past use</b>: a segment still queued or unacknowledged when its use-by time has
 *       passed (a frame whose display time is gone) is cancelled, so it costs the link nothing more;
 *   <li><b>update in place</b>: new content for a key (a sensor channel) whose previous segment is
 *       not final replaces that segment's content instead of queueing another (late binding: the
 *       next transmission carries the newest value);
 *   <li><b>relax deadlines</b>: chosen segments (I-frames, say) get a longer deadline, which makes
 *       them eligible for more retransmissions on a transport that retransmits.
 * </ul>
 *
 * <p>Not thread-safe: one application thread submits and calls {@link #poll()}.
 */
public final class TransmissionController {
    private final NanoClock clock;
    private final long useByNanos;
    private final Predicate<Object> relaxChosen;
    private final Duration relaxedDeadline;
    private final ArrayDeque<Tracked> pending = new ArrayDeque<>();
    private final Map<Object, Segment> latestByKey = new HashMap<>();
    private long cancelled;
    private long updated;
    private long relaxed;

    private TransmissionController(Builder b) {
        this.clock = b.clock;
        this.useByNanos = b.useByNanos;
        this.relaxChosen = b.relaxChosen;
        this.relaxedDeadline = b.relaxedDeadline;
    }

    /** @return a builder with every policy off */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Takes a segment the application has just sent under control.
     *
     * @param segment the handle {@code QSocket.send(packet, flags)} returned
     * @param tag what the policies choose by (e.g. the frame type); may be null
     */
    public void track(Segment segment, Object tag) {
        Objects.requireNonNull(segment, "segment must not be null");
        if (relaxChosen != null && relaxChosen.test(tag) && segment.relaxDeadline(relaxedDeadline)) {
            relaxed++;
        }
        if (useByNanos > 0 && !segment.state().isTerminal()) {
            pending.add(new Tracked(segment, clock.nanoTime() + useByNanos));
        }
    }

    /**
     * Tries to carry {@code content} in the not yet final segment last sent for {@code key}.
     *
     * @return true if that segment now carries {@code content} (send nothing new); false if there is
     *     none or it can no longer change (send a new segment and {@link #remember} it)
     */
    public boolean updateInPlace(Object key, byte[] content) {
        Segment previous = latestByKey.get(key);
        if (previous == null || previous.state().isTerminal() || content.length > previous.length()) {
            return false;
        }
        if (previous.update(content)) {
            updated++;
            return true;
        }
        return false;
    }

    /** Records {@code segment} as the latest for {@code key}, for {@link #updateInPlace}. */
    public void remember(Object key, Segment segment) {
        latestByKey.put(key, Objects.requireNonNull(segment, "segment must not be null"));
    }

    /**
     * Applies the cancel-past-use policy to the tracked segments whose use-by time has passed, and
     * forgets those that reached a final state.
     *
     * @return how many segments this call cancelled
     */
    public int poll() {
        long now = clock.nanoTime();
        int n = 0;
        for (Iterator<Tracked> it = pending.iterator(); it.hasNext();) {
            Tracked t = it.next();
            if (t.segment.state().isTerminal()) {
                it.remove();
            } else if (now - t.useByNanos >= 0) {
                if (t.segment.cancel()) {
                    n++;
                }
                it.remove();
            }
        }
        latestByKey.values().removeIf(s -> s.state().isTerminal());
        cancelled += n;
        return n;
    }

    /** @return segments cancelled past their use */
    public long cancelled() {
        return cancelled;
    }

    /** @return contents carried by an earlier segment instead of a new one */
    public long updated() {
        return updated;
    }

    /** @return segments whose deadline was relaxed */
    public long relaxed() {
        return relaxed;
    }

    /** @return segments tracked for the cancel policy and not final yet */
    public int tracked() {
        return pending.size();
    }

    private record Tracked(Segment segment, long useByNanos) {
    }

    /** Builds a {@link TransmissionController}; not thread-safe. */
    public static final class Builder {
        private NanoClock clock = NanoClock.system();
        private long useByNanos;
        private Predicate<Object> relaxChosen;
        private Duration relaxedDeadline;

        private Builder() {
        }

        /** @param value the clock use-by times are measured on (the engine's); not null */
        public Builder clock(NanoClock value) {
            clock = Objects.requireNonNull(value, "clock must not be null");
            return this;
        }

        /** @param useBy cancel segments not final this long after they were tracked; positive */
        public Builder cancelAfter(Duration useBy) {
            if (useBy == null || useBy.isZero() || useBy.isNegative()) {
                throw new IllegalArgumentException("use-by time " + useBy + " must be positive");
            }
            useByNanos = useBy.toNanos();
            return this;
        }

        /**
         * @param chosen which tags get the relaxed deadline
         * @param deadline the relaxed deadline, relative to the segment's submission; positive
         */
        public Builder relaxDeadline(Predicate<Object> chosen, Duration deadline) {
            if (deadline == null || deadline.isZero() || deadline.isNegative()) {
                throw new IllegalArgumentException("relaxed deadline " + deadline + " must be positive");
            }
            relaxChosen = Objects.requireNonNull(chosen, "choice must not be null");
            relaxedDeadline = deadline;
            return this;
        }

        /** @return the controller */
        public TransmissionController build() {
            return new TransmissionController(this);
        }
    }
}
