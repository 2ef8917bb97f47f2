package io.noex.testkit.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.testkit.chaos.ChaosMessages.Tagged;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cast-order invariant, judged from tags alone: what passes, what is a loss, what is a reorder. */
class CastOrderCheckTest {

    private final CastOrderCheck check = new CastOrderCheck();

    private static Tagged tag(long epoch, long seq, Long... straddles) {
        return new Tagged("a", 7, epoch, seq, List.of(straddles));
    }

    private List<CastOrderCheck.Finding> feed(Tagged... tags) {
        List<CastOrderCheck.Finding> out = new ArrayList<>();
        for (Tagged t : tags) {
            out.addAll(check.accept(t));
        }
        return out;
    }

    @Test
    void everyEpochReceivedAsAPrefix_isFine_tailsMayBeLost() {
        assertThat(feed(tag(0, 0), tag(0, 1), tag(0, 2), tag(1, 0), tag(1, 1), tag(3, 0))).isEmpty();
        assertThat(check.received()).isEqualTo(6);
        assertThat(check.undecided()).isZero();
    }

    @Test
    void aGapWithinAnEpoch_isALoss_onceTheNextCastShowsNoStraddle() {
        assertThat(feed(tag(0, 0), tag(0, 1), tag(0, 4))).isEmpty();
        assertThat(check.undecided()).isEqualTo(1);

        List<CastOrderCheck.Finding> f = feed(tag(0, 5));

        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo("cast-loss");
            assertThat(x.description()).contains("epoch 0", "seqs 2..3 never arrived", "then seq 4");
        });
        assertThat(check.undecided()).isZero();
    }

    @Test
    void aGapEndingAtAStraddledCast_isExcused() {
        assertThat(feed(tag(0, 0), tag(0, 3), tag(1, 0, 0L, 3L))).isEmpty();
        assertThat(check.excused()).isEqualTo(1);
    }

    @Test
    void anEpochWhoseFirstCastsAreMissing_isALoss_unlessStraddled() {
        assertThat(feed(tag(2, 1))).isEmpty();
        assertThat(feed(tag(2, 2))).extracting(CastOrderCheck.Finding::kind).containsExactly("cast-loss");

        assertThat(feed(tag(5, 2), tag(6, 0, 5L, 2L))).isEmpty();
    }

    @Test
    void aDuplicateOrAnOlderSeq_isAReorder() {
        assertThat(feed(tag(0, 0), tag(0, 1), tag(0, 1))).extracting(CastOrderCheck.Finding::kind)
                .containsExactly("cast-order");
        assertThat(feed(tag(0, 0))).extracting(CastOrderCheck.Finding::kind).containsExactly("cast-order");
    }

    @Test
    void aCastOfAnOlderEpoch_afterANewerOneBegan_isAReorder() {
        assertThat(feed(tag(0, 0), tag(1, 0))).isEmpty();

        assertThat(feed(tag(0, 1))).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo("cast-order");
            assertThat(x.description()).contains("epoch 0 seq 1 arrived after epoch 1 had begun");
        });
    }

    @Test
    void eachSenderRunIsCheckedOnItsOwn() {
        assertThat(feed(tag(3, 0), new Tagged("b", 1, 0, 0, List.of()), new Tagged("a", 8, 0, 0, List.of()),
                tag(3, 1), new Tagged("b", 1, 0, 1, List.of()))).isEmpty();
    }
}
