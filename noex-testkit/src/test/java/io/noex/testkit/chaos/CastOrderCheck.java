package io.noex.testkit.chaos;

import io.noex.testkit.chaos.ChaosMessages.Tagged;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The receiving side of the cast-order invariant, "casts between two live, connected nodes arrive
 * in order with none lost", made precise with the sender's epochs ({@link CastSequencer}):
 *
 * <blockquote>For each sender run and each epoch, the seqs the receiver gets are exactly
 * {@code 0, 1, 2, ..., k} for some {@code k} (possibly none at all): no gap, no duplicate, no
 * reordering. Casts may be lost only at an epoch's tail (the connection they were handed to
 * failed), and an epoch's casts never arrive after a later epoch's.</blockquote>
 *
 * A gap is judged when the sender's next cast arrives: if that cast lists the gap's last cast as
 * a straddle (it may have gone on a new connection while the casts before it were the tail of
 * the old one), the gap is excused and counted; otherwise it is a loss. A gap with no later cast
 * (the sender died, or the run ended) stays undecided and is counted as such.
 *
 * <p>Threading: not thread-safe; owned by one {@link CastSink} process.
 */
final class CastOrderCheck {

    /**
     * A broken invariant.
     *
     * @param kind {@code cast-loss} or {@code cast-order}
     * @param description what arrived, and what did not
     */
    record Finding(String kind, String description) {
    }

    private record Key(String sender, long run) {
    }

    /** A gap seen, waiting for the sender's next cast to tell whether a straddle explains it. */
    private record Gap(long epoch, long expected, long got) {
    }

    private static final class Stream {
        long epoch = -1;
        long next;
        Gap gap;
    }

    private final Map<Key, Stream> streams = new HashMap<>();
    private long received;
    private long excused;

    /**
     * Checks one cast.
     *
     * @param t the cast's tag
     * @return the violations it reveals (usually none)
     */
    List<Finding> accept(Tagged t) {
        received++;
        List<Finding> violations = new ArrayList<>(0);
        Stream s = streams.computeIfAbsent(new Key(t.sender(), t.run()), k -> new Stream());
        if (s.gap != null) {
            Gap g = s.gap;
            s.gap = null;
            if (straddled(t, g.epoch(), g.got())) {
                excused++;
            } else {
                violations.add(new Finding("cast-loss", "casts from " + t.sender() + " (run " + t.run() + ") lost: epoch " + g.epoch()
                        + ", seqs " + g.expected() + ".." + (g.got() - 1) + " never arrived, then seq " + g.got()
                        + " did on what the sender saw as the same connection"));
            }
        }
        if (t.epoch() < s.epoch) {
            violations.add(new Finding("cast-order", "cast from " + t.sender() + " (run " + t.run() + ") epoch "
                    + t.epoch() + " seq " + t.seq() + " arrived after epoch " + s.epoch
                    + " had begun (reordered across connections)"));
            return violations;
        }
        if (t.epoch() > s.epoch) {
            s.epoch = t.epoch();
            s.next = 0;
        }
        if (t.seq() == s.next) {
            s.next++;
        } else if (t.seq() < s.next) {
            violations.add(new Finding("cast-order", "cast from " + t.sender() + " (run " + t.run() + ") epoch "
                    + t.epoch() + " seq " + t.seq() + " arrived after seq " + (s.next - 1) + " (duplicated or reordered)"));
        } else {
            s.gap = new Gap(t.epoch(), s.next, t.seq());
            s.next = t.seq() + 1;
        }
        return violations;
    }

    private static boolean straddled(Tagged later, long epoch, long seq) {
        List<Long> s = later.straddles();
        for (int i = 0; i + 1 < s.size(); i += 2) {
            if (s.get(i) == epoch && s.get(i + 1) == seq) {
                return true;
            }
        }
        return false;
    }

    /** @return casts checked */
    long received() {
        return received;
    }

    /** @return gaps explained by a straddle */
    long excused() {
        return excused;
    }

    /** @return gaps still waiting for the sender's next cast */
    long undecided() {
        return streams.values().stream().filter(s -> s.gap != null).count();
    }
}
