package io.noex.testkit.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.testkit.chaos.ChaosMessages.Tagged;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sender's epochs, and the two sides together over simulated connections: whatever a
 * connection loses at its tail, the receiver finds nothing wrong; a cast lost in the middle of a
 * connection's stream is found.
 */
class CastSequencerTest {

    private final CastSequencer sequencer = new CastSequencer("a", 1);
    private final Object c1 = new Object();
    private final Object c2 = new Object();

    private Tagged send(Object before, boolean accepted, Object after) {
        Tagged t = sequencer.next(before);
        sequencer.sent(t, accepted, after);
        return t;
    }

    @Test
    void castsOnOneConnection_shareAnEpoch_andCountUp() {
        assertThat(List.of(send(c1, true, c1), send(c1, true, c1), send(c1, true, c1)))
                .extracting(Tagged::epoch, Tagged::seq)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 0L), org.assertj.core.groups.Tuple.tuple(0L, 1L),
                        org.assertj.core.groups.Tuple.tuple(0L, 2L));
        assertThat(sequencer.epochs()).isEqualTo(1);
    }

    @Test
    void aNewConnection_orARefusal_startsANewEpoch() {
        send(c1, true, c1);
        Tagged onC2 = send(c2, true, c2);
        send(c2, false, c2);
        Tagged afterRefusal = send(c2, true, c2);
        Tagged none = send(null, false, null);

        assertThat(onC2.epoch()).isEqualTo(1);
        assertThat(onC2.seq()).isZero();
        assertThat(afterRefusal.epoch()).isEqualTo(2);
        assertThat(afterRefusal.seq()).isZero();
        assertThat(none.epoch()).isEqualTo(3);
    }

    @Test
    void aStraddle_isSentWithEveryLaterCast_andEndsTheEpoch() {
        send(c1, true, c1);
        Tagged straddled = send(c1, true, c2);
        Tagged next = send(c2, true, c2);
        Tagged later = send(c2, true, c2);

        assertThat(sequencer.straddled()).isEqualTo(1);
        assertThat(next.epoch()).isEqualTo(straddled.epoch() + 1);
        assertThat(next.straddles()).containsExactly(straddled.epoch(), straddled.seq());
        assertThat(later.straddles()).containsExactly(straddled.epoch(), straddled.seq());
    }

    @Test
    void onlyTheLatestStraddlesAreKept() {
        for (int i = 0; i < CastSequencer.STRADDLES_KEPT + 3; i++) {
            send(c1, true, c2);
        }
        assertThat(sequencer.straddled()).isEqualTo(CastSequencer.STRADDLES_KEPT + 3);
        assertThat(sequencer.next(c1).straddles()).hasSize(2 * CastSequencer.STRADDLES_KEPT);
    }

    /** A connection that delivers what it was handed, until it is cut; then it delivers nothing. */
    private static final class Link {
        final List<Tagged> delivered = new ArrayList<>();
        boolean cut;

        void carry(Tagged t) {
            if (!cut) {
                delivered.add(t);
            }
        }
    }

    @Test
    void tailLossesOnFailedConnections_passTheCheck_evenWhenACastStraddledTheChange() {
        CastOrderCheck check = new CastOrderCheck();
        Link first = new Link();
        Link second = new Link();
        List<Tagged> arrived = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Tagged t = sequencer.next(first);
            first.carry(t);
            sequencer.sent(t, true, first);
        }
        first.cut = true; // the last casts handed to it are lost
        for (int i = 0; i < 3; i++) {
            Tagged t = sequencer.next(first);
            first.carry(t);
            sequencer.sent(t, true, first);
        }
        // The connection changes while a cast is being sent: it went on the new one.
        Tagged straddling = sequencer.next(first);
        second.carry(straddling);
        sequencer.sent(straddling, true, second);
        for (int i = 0; i < 4; i++) {
            Tagged t = sequencer.next(second);
            second.carry(t);
            sequencer.sent(t, true, second);
        }
        arrived.addAll(first.delivered);
        arrived.addAll(second.delivered);

        List<CastOrderCheck.Finding> findings = new ArrayList<>();
        arrived.forEach(t -> findings.addAll(check.accept(t)));

        assertThat(findings).isEmpty();
        assertThat(check.excused()).isEqualTo(1);
    }

    @Test
    void aCastDroppedFromTheMiddleOfALiveConnection_isFound() {
        CastOrderCheck check = new CastOrderCheck();
        List<CastOrderCheck.Finding> findings = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Tagged t = send(c1, true, c1);
            if (i != 4) {
                findings.addAll(check.accept(t));
            }
        }
        assertThat(findings).extracting(CastOrderCheck.Finding::kind).containsExactly("cast-loss");
    }
}
