package io.noex.distribution.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.GenServerRef;
import io.noex.NodeId;
import io.noex.distribution.ConflictAction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GlobalTableTest {

    static final NodeId A = NodeId.parse("a@127.0.0.1:1");
    static final NodeId B = NodeId.parse("b@127.0.0.1:2");
    static final NodeId C = NodeId.parse("c@127.0.0.1:3");

    static GlobalTable.Entry entry(String name, NodeId node, String id, long stamp) {
        return new GlobalTable.Entry(name, new GenServerRef(id, node), stamp, ConflictAction.EXIT);
    }

    @Test
    void theSmallerStampWins_thenTheSmallerNode_thenTheSmallerId() {
        assertThat(GlobalTable.winner(entry("x", B, "<1>", 1), entry("x", A, "<1>", 2)).ref().nodeId()).isEqualTo(B);
        assertThat(GlobalTable.winner(entry("x", B, "<1>", 3), entry("x", A, "<9>", 3)).ref().nodeId()).isEqualTo(A);
        assertThat(GlobalTable.winner(entry("x", A, "<2>", 3), entry("x", A, "<1>", 3)).ref().id()).isEqualTo("<1>");
    }

    @Test
    void aLocalRegistration_ofATakenName_returnsTheHolder() {
        GlobalTable t = new GlobalTable();
        GlobalTable.Entry first = t.register("x", new GenServerRef("<1>", A), ConflictAction.EXIT, 0);
        GlobalTable.Entry second = t.register("x", new GenServerRef("<2>", A), ConflictAction.EXIT, 0);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void theClock_movesPastEveryStampSeen() {
        GlobalTable t = new GlobalTable();
        t.merge(entry("x", B, "<1>", 41));
        assertThat(t.register("y", new GenServerRef("<2>", A), ConflictAction.EXIT, 0).stamp()).isEqualTo(42);
    }

    @Test
    void aStaleCopyOfARemovedRegistration_doesNotComeBack_untilItsTombstoneExpires() {
        GlobalTable t = new GlobalTable();
        GlobalTable.Entry e = entry("x", B, "<1>", 5);
        t.merge(e);
        assertThat(t.remove("x", Optional.of(e.ref()), 5, 100)).containsExactly(new GlobalTable.Change.Removed(e));
        assertThat(t.merge(e)).isEmpty();
        assertThat(t.get("x")).isEmpty();
        t.expireTombstones(101);
        assertThat(t.tombstones()).isZero();
    }

    @Test
    void aRemovalOfAnOlderHolder_doesNotRemoveTheCurrentOne() {
        GlobalTable t = new GlobalTable();
        t.merge(entry("x", B, "<2>", 7));
        assertThat(t.remove("x", Optional.of(new GenServerRef("<1>", B)), 6, 0)).isEmpty();
        assertThat(t.get("x")).isPresent();
    }

    @Test
    void aProcessRegisteredAgain_outlivesALateRemovalOfItsEarlierRegistration() {
        // The removal of registration 5 comes from one node, registration 9 from another: 9 may arrive first.
        GlobalTable t = new GlobalTable();
        GenServerRef p = new GenServerRef("<1>", B);
        t.merge(entry("x", B, "<1>", 5));
        t.merge(entry("x", B, "<1>", 9));
        assertThat(t.get("x")).map(GlobalTable.Entry::stamp).contains(9L);

        assertThat(t.remove("x", Optional.of(p), 5, 0)).isEmpty();
        assertThat(t.get("x")).map(GlobalTable.Entry::ref).contains(p);
        assertThat(t.remove("x", Optional.of(p), 9, 0)).hasSize(1);
        assertThat(t.get("x")).isEmpty();
    }

    @Test
    void aWaitingProcessRegisteredAgain_outlivesALateRemovalOfItsEarlierRegistration() {
        GlobalTable t = new GlobalTable();
        GlobalTable.Entry w = entry("x", A, "<w>", 1);
        t.merge(w);
        t.merge(entry("x", B, "<1>", 5));
        t.merge(entry("x", B, "<1>", 9));
        assertThat(t.remove("x", Optional.of(new GenServerRef("<1>", B)), 5, 0)).isEmpty();
        assertThat(t.contenders()).isEqualTo(1);
        assertThat(t.remove("x", Optional.of(w.ref()), 1, 0)).hasSize(2);
        assertThat(t.get("x")).map(GlobalTable.Entry::stamp).contains(9L);
    }

    @Test
    void theRemovalsRemembered_letAReplicaThatMissedThemDropAStaleCopy_inEitherOrder() {
        GlobalTable seen = new GlobalTable();
        GlobalTable.Entry e = entry("x", B, "<1>", 5);
        seen.merge(e);
        seen.remove("x", Optional.of(e.ref()), 5, 0);
        List<GlobalTable.Entry> removals = seen.removals();
        assertThat(removals).extracting(GlobalTable.Entry::name, GlobalTable.Entry::ref, GlobalTable.Entry::stamp)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("x", e.ref(), 5L));

        GlobalTable staleFirst = new GlobalTable();
        staleFirst.merge(e);
        removals.forEach(r -> staleFirst.remove(r.name(), Optional.of(r.ref()), r.stamp(), 0));
        GlobalTable removalsFirst = new GlobalTable();
        removals.forEach(r -> removalsFirst.remove(r.name(), Optional.of(r.ref()), r.stamp(), 0));
        removalsFirst.merge(e);

        assertThat(staleFirst.get("x")).isEmpty();
        assertThat(removalsFirst.get("x")).isEmpty();
    }

    @Test
    void losingANodeDropsItsProcessesNames() {
        GlobalTable t = new GlobalTable();
        t.merge(entry("x", B, "<1>", 1));
        t.merge(entry("y", C, "<1>", 2));
        assertThat(t.dropNode(B, 0)).containsExactly(new GlobalTable.Change.Removed(entry("x", B, "<1>", 1)));
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void losingAnOldIncarnation_keepsTheNamesOfTheNodesNewLife() {
        GlobalTable t = new GlobalTable();
        t.merge(entry("old", B, "<1>", 1).withHostIncarnation(7));
        t.merge(entry("new", B, "<2>", 2).withHostIncarnation(9)); // arrived before life 7 was reported lost
        assertThat(t.dropNode(B, 7)).extracting(c -> ((GlobalTable.Change.Removed) c).entry().name()).containsExactly("old");
        assertThat(t.get("new")).isPresent();
        assertThat(t.dropNode(B, 9)).extracting(c -> ((GlobalTable.Change.Removed) c).entry().name()).containsExactly("new");
    }

    /** However registrations are spread over replicas and in whatever order they arrive, replicas agree. */
    @Property(tries = 500)
    void replicasThatSeeTheSameRegistrations_inAnyOrder_agreeOnEveryWinner(
            @ForAll @IntRange(min = 1, max = 30) int count, @ForAll long seed) {
        Random random = new Random(seed);
        List<GlobalTable.Entry> all = new ArrayList<>();
        NodeId[] nodes = {A, B, C};
        for (int i = 0; i < count; i++) {
            all.add(entry("n" + random.nextInt(4), nodes[random.nextInt(3)], "<" + i + ">", 1 + random.nextInt(5)));
        }
        Map<String, GlobalTable.Entry> expected = new HashMap<>();
        for (GlobalTable.Entry e : all) {
            expected.merge(e.name(), e, GlobalTable::winner);
        }
        for (int replica = 0; replica < 3; replica++) {
            List<GlobalTable.Entry> order = new ArrayList<>(all);
            Collections.shuffle(order, random);
            GlobalTable t = new GlobalTable();
            for (GlobalTable.Entry e : order) {
                t.merge(e);
            }
            for (Map.Entry<String, GlobalTable.Entry> want : expected.entrySet()) {
                assertThat(t.get(want.getKey())).contains(want.getValue());
            }
        }
    }

    /**
     * Found by the chaos suite (RELIABILITY.md, "Chaos"): the same registrations and removals,
     * arriving in another order, leave two replicas with different tables for good. W holds the
     * name; node B unregisters it; node C, having seen the removal, registers L (a larger stamp);
     * replica R gets L before W's removal (B's link to R is slow), keeps W by the winner rule and
     * dropped L; then W's removal left R with nothing, while C (and everyone else) held L. Now
     * L waits behind W on R and takes the name when W goes.
     */
    @Test
    void aRegistrationThatLosesToOneAlreadyRemovedElsewhere_isNotLostOnReplicasThatSawTheRemovalLate() {
        GlobalTable.Entry w = entry("n", A, "<w>", 1);
        GlobalTable c = new GlobalTable();
        c.merge(w);
        c.remove("n", Optional.of(w.ref()), w.stamp(), 0);
        GlobalTable.Entry l = c.register("n", new GenServerRef("<l>", C), ConflictAction.MESSAGE, 0);

        GlobalTable r = new GlobalTable();
        r.merge(w);
        r.merge(l);
        r.remove("n", Optional.of(w.ref()), w.stamp(), 0);

        assertThat(r.get("n")).isEqualTo(c.get("n"));
    }

    @Test
    void aLoser_waitsBehindTheWinner_andTakesTheNameWhenTheWinnerGoes() {
        GlobalTable t = new GlobalTable();
        GlobalTable.Entry w = entry("n", A, "<w>", 1);
        GlobalTable.Entry l = entry("n", B, "<l>", 2);
        t.merge(w);
        assertThat(t.merge(l)).containsExactly(new GlobalTable.Change.Outranked(w, l));
        assertThat(t.contenders()).isEqualTo(1);
        assertThat(t.merge(l)).isEmpty(); // a second copy of a waiting loser changes nothing
        assertThat(t.remove("n", Optional.of(w.ref()), 1, 0))
                .containsExactly(new GlobalTable.Change.Removed(w), new GlobalTable.Change.Added(l));
        assertThat(t.get("n")).contains(l);
        assertThat(t.contenders()).isZero();
    }

    @Test
    void aReplacedHolder_waitsBehindTheNewOne() {
        GlobalTable t = new GlobalTable();
        GlobalTable.Entry l = entry("n", B, "<l>", 2);
        GlobalTable.Entry w = entry("n", A, "<w>", 1);
        t.merge(l);
        assertThat(t.merge(w)).containsExactly(new GlobalTable.Change.Replaced(w, l));
        assertThat(t.contenders()).isEqualTo(1);
    }

    @Test
    void aLosersOwnRemoval_dropsIt_withoutTouchingTheHolder() {
        GlobalTable t = new GlobalTable();
        GlobalTable.Entry w = entry("n", A, "<w>", 1);
        GlobalTable.Entry l = entry("n", B, "<l>", 2);
        t.merge(w);
        t.merge(l);
        assertThat(t.remove("n", Optional.of(l.ref()), 2, 0)).isEmpty();
        assertThat(t.contenders()).isZero();
        assertThat(t.remove("n", Optional.of(w.ref()), 1, 0)).containsExactly(new GlobalTable.Change.Removed(w));
        assertThat(t.get("n")).isEmpty();
    }

    @Test
    void losingTheHoldersNode_handsTheNameToTheBestContender_andLosingAContendersNodeDropsIt() {
        GlobalTable t = new GlobalTable();
        GlobalTable.Entry w = entry("n", A, "<w>", 1);
        GlobalTable.Entry second = entry("n", B, "<b>", 2);
        GlobalTable.Entry third = entry("n", C, "<c>", 3);
        t.merge(third);
        t.merge(w);
        t.merge(second);
        assertThat(t.dropNode(A, 0)).containsExactly(new GlobalTable.Change.Removed(w), new GlobalTable.Change.Added(second));
        assertThat(t.dropNode(C, 0)).isEmpty();
        assertThat(t.contenders()).isZero();
        assertThat(t.get("n")).contains(second);
    }

    /**
     * Registrations and removals of the same registrations, delivered to each replica in its own
     * order (a removal may even come before its registration): every replica ends up holding the
     * best registration that was never removed.
     */
    @Property(tries = 500)
    void replicasThatSeeTheSameRegistrationsAndRemovals_inAnyOrder_holdTheBestLiveOne(
            @ForAll @IntRange(min = 1, max = 30) int count, @ForAll long seed) {
        Random random = new Random(seed);
        NodeId[] nodes = {A, B, C};
        List<GlobalTable.Entry> added = new ArrayList<>();
        List<GlobalTable.Entry> removed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            GlobalTable.Entry e = entry("n" + random.nextInt(3), nodes[random.nextInt(3)], "<" + i + ">", 1 + random.nextInt(5));
            added.add(e);
            if (random.nextInt(3) == 0) {
                removed.add(e);
            }
        }
        Map<String, GlobalTable.Entry> expected = new HashMap<>();
        for (GlobalTable.Entry e : added) {
            if (!removed.contains(e)) {
                expected.merge(e.name(), e, GlobalTable::winner);
            }
        }
        for (int replica = 0; replica < 3; replica++) {
            List<Object> order = new ArrayList<>(added);
            removed.forEach(e -> order.add(new GlobalTable.Change.Removed(e)));
            Collections.shuffle(order, random);
            GlobalTable t = new GlobalTable();
            for (Object o : order) {
                if (o instanceof GlobalTable.Entry e) {
                    t.merge(e);
                } else {
                    GlobalTable.Entry e = ((GlobalTable.Change.Removed) o).entry();
                    t.remove(e.name(), Optional.of(e.ref()), e.stamp(), 0);
                }
            }
            for (String name : List.of("n0", "n1", "n2")) {
                assertThat(t.get(name)).isEqualTo(Optional.ofNullable(expected.get(name)));
            }
        }
    }
}
