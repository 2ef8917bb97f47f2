package io.noex.testkit.chaos;

import io.noex.testkit.chaos.ChaosMessages.Tagged;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The sending side of the cast-order invariant: tags the casts one thread sends to one receiver
 * with {@code (epoch, seq)}. {@link CastOrderCheck} states the invariant; this class defines the
 * epochs it relies on.
 *
 * <p><b>Epochs.</b> An epoch is a run of casts that the sender handed, one after another, to one
 * and the same connection. A new epoch starts (seq back to 0) with the first cast after any of:
 * <ul>
 *   <li>the connection to the receiver's node changed (another connection object, or none),
 *       as read just before the cast;</li>
 *   <li>a cast was refused ({@code RemoteCall.cast} returned false: not connected, or the
 *       outbound queue over its high-water mark), so the sender knows something was dropped;</li>
 *   <li>a <em>straddle</em>: the connection read just after a cast differs from the one read
 *       just before it, so the cast may have gone on either. Its {@code (epoch, seq)} is remembered
 *       and sent along with every later cast ({@link Tagged#straddles()}, the latest
 *       {@value #STRADDLES_KEPT}), so the receiver can tell a gap that ends at such a cast (the
 *       casts before it were the tail of the old connection) from a real loss.</li>
 * </ul>
 * The connection is observed, never used: the casts go through the public {@code RemoteCall.cast}.
 *
 * <p>Threading: not thread-safe; one per sending thread and receiver.
 */
final class CastSequencer {

    static final int STRADDLES_KEPT = 8;

    private final String sender;
    private final long run;
    private final ArrayDeque<long[]> straddles = new ArrayDeque<>();
    private long epoch = -1;
    private long seq;
    private Object connection;
    private boolean newEpoch = true;
    private long epochs;
    private long straddled;

    /**
     * @param sender the sending node's name
     * @param run the sending JVM's run
     */
    CastSequencer(String sender, long run) {
        this.sender = sender;
        this.run = run;
    }

    /**
     * @param connectionBefore the connection to the receiver's node read just before sending
     *     (null for none); compared by identity
     * @return the tag of the next cast
     */
    Tagged next(Object connectionBefore) {
        if (newEpoch || connectionBefore != connection) {
            epoch++;
            epochs++;
            seq = 0;
            connection = connectionBefore;
            newEpoch = false;
        }
        List<Long> s = new ArrayList<>(straddles.size() * 2);
        for (long[] p : straddles) {
            s.add(p[0]);
            s.add(p[1]);
        }
        return new Tagged(sender, run, epoch, seq, List.copyOf(s));
    }

    /**
     * @param tag the tag {@link #next} returned, of the cast just sent
     * @param accepted what {@code RemoteCall.cast} returned
     * @param connectionAfter the connection read just after sending (null for none)
     */
    void sent(Tagged tag, boolean accepted, Object connectionAfter) {
        if (!accepted) {
            newEpoch = true;
            return;
        }
        seq++;
        if (connectionAfter != connection) {
            straddled++;
            straddles.addLast(new long[] {tag.epoch(), tag.seq()});
            if (straddles.size() > STRADDLES_KEPT) {
                straddles.removeFirst();
            }
            newEpoch = true;
        }
    }

    /** @return epochs begun so far */
    long epochs() {
        return epochs;
    }

    /** @return casts that straddled a connection change */
    long straddled() {
        return straddled;
    }
}
