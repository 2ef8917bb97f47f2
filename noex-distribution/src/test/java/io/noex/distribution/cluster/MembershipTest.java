package io.noex.distribution.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.NodeId;
import io.noex.distribution.NodeDownReason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each row of {@link Membership}'s transition table. */
class MembershipTest {

    static final NodeId SELF = NodeId.parse("self@127.0.0.1:1");
    static final NodeId A = NodeId.parse("a@127.0.0.1:2");
    static final NodeId B = NodeId.parse("b@127.0.0.1:3");
    static final long SEC = 1_000_000_000L;
    static final long TIMEOUT = 3 * SEC;
    static final long RETENTION = 60 * SEC;

    private Membership view = Membership.empty(SELF);

    private List<MembershipEvent> apply(Membership.Transition t) {
        view = t.next();
        return t.events();
    }

    private MemberState state(NodeId id) {
        return view.member(id).orElseThrow().state();
    }

    @Test
    void aSeed_isDialedAndJoining_andNeverForgotten() {
        assertThat(apply(view.seed(A, 0))).containsExactly(new MembershipEvent.Dial(A));
        assertThat(state(A)).isEqualTo(MemberState.JOINING);
        assertThat(apply(view.tick(RETENTION * 10, TIMEOUT, RETENTION))).isEmpty();
        assertThat(view.member(A)).isPresent();
    }

    @Test
    void aConnection_bringsAMemberUp_andKeepsItDialed() {
        List<MembershipEvent> events = apply(view.connected(A, 5, 0));
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOf(MembershipEvent.Up.class);
        assertThat(events.get(1)).isEqualTo(new MembershipEvent.Dial(A));
        assertThat(state(A)).isEqualTo(MemberState.UP);
        assertThat(view.member(A).orElseThrow().incarnation()).isEqualTo(5);
    }

    @Test
    void silenceLongerThanTheTimeout_takesAMemberDown_andClosesItsConnection() {
        apply(view.connected(A, 5, 0));
        apply(view.heartbeat(A, 5, 10, 1000, SEC, Instant.EPOCH));
        assertThat(apply(view.tick(SEC + TIMEOUT, TIMEOUT, RETENTION))).isEmpty();
        List<MembershipEvent> events = apply(view.tick(SEC + TIMEOUT + 1, TIMEOUT, RETENTION));
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(MembershipEvent.Down.class,
                d -> assertThat(d.reason()).isEqualTo(NodeDownReason.HEARTBEAT_TIMEOUT));
        assertThat(events.get(1)).isEqualTo(new MembershipEvent.Disconnect(A, 5));
        assertThat(state(A)).isEqualTo(MemberState.DOWN);
    }

    @Test
    void heartbeats_keepAMemberUp_andCarryItsProcessCount() {
        apply(view.connected(A, 5, 0));
        for (long t = 1; t <= 10; t++) {
            apply(view.heartbeat(A, 5, (int) t, t * 1000, t * SEC, Instant.ofEpochSecond(t)));
            assertThat(apply(view.tick(t * SEC, TIMEOUT, RETENTION))).isEmpty();
        }
        Member a = view.member(A).orElseThrow();
        assertThat(a.processCount()).isEqualTo(10);
        assertThat(a.lastHeartbeatAt()).contains(Instant.ofEpochSecond(10));
    }

    @Test
    void aClosedConnection_takesAMemberDown_once() {
        apply(view.connected(A, 5, 0));
        List<MembershipEvent> events = apply(view.disconnected(A, 5, SEC));
        assertThat(events).singleElement().isInstanceOfSatisfying(MembershipEvent.Down.class,
                d -> assertThat(d.reason()).isEqualTo(NodeDownReason.CONNECTION_CLOSED));
        assertThat(apply(view.disconnected(A, 5, SEC))).isEmpty();
    }

    @Test
    void theCloseOfAnOlderIncarnationsConnection_changesNothing() {
        apply(view.connected(A, 5, 0));
        apply(view.connected(A, 6, SEC));
        assertThat(apply(view.disconnected(A, 5, 2 * SEC))).isEmpty();
        assertThat(state(A)).isEqualTo(MemberState.UP);
    }

    @Test
    void aNewerIncarnationsConnection_reportsTheOldLifeDownAndTheNewUp() {
        apply(view.connected(A, 5, 0));
        List<MembershipEvent> events = apply(view.connected(A, 6, SEC));
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(MembershipEvent.Down.class, d -> {
            assertThat(d.member().incarnation()).isEqualTo(5);
            assertThat(d.reason()).isEqualTo(NodeDownReason.CONNECTION_CLOSED);
        });
        assertThat(events.get(1)).isInstanceOfSatisfying(MembershipEvent.Up.class,
                u -> assertThat(u.member().incarnation()).isEqualTo(6));
    }

    @Test
    void anOlderIncarnationsConnection_isClosed() {
        apply(view.connected(A, 6, 0));
        assertThat(apply(view.connected(A, 5, SEC))).containsExactly(new MembershipEvent.Disconnect(A, 5));
        assertThat(view.member(A).orElseThrow().incarnation()).isEqualTo(6);
    }

    @Test
    void aDownMember_comesBackUpWhenItReconnects() {
        apply(view.connected(A, 5, 0));
        apply(view.disconnected(A, 5, SEC));
        List<MembershipEvent> events = apply(view.connected(A, 5, 2 * SEC));
        assertThat(events.get(0)).isInstanceOf(MembershipEvent.Up.class);
        assertThat(state(A)).isEqualTo(MemberState.UP);
    }

    @Test
    void gossip_introducesNodes_butNeverTakesOneDownOrBringsOneUp() {
        List<MembershipEvent> events = apply(view.gossip(List.of(new GossipEntry(A, 5), new GossipEntry(SELF, 1)), 0));
        assertThat(events).containsExactly(new MembershipEvent.Dial(A));
        assertThat(state(A)).isEqualTo(MemberState.JOINING);
        assertThat(view.member(SELF)).isEmpty();
        apply(view.connected(B, 7, 0));
        assertThat(apply(view.gossip(List.of(new GossipEntry(B, 7)), SEC))).isEmpty();
        assertThat(apply(view.gossip(List.of(new GossipEntry(B, 8)), SEC))).isEmpty();
        assertThat(state(B)).isEqualTo(MemberState.UP);
    }

    @Test
    void staleGossip_cannotResurrectADownMember_butANewerLifeIsDialed() {
        apply(view.connected(A, 5, 0));
        apply(view.disconnected(A, 5, SEC));
        assertThat(apply(view.gossip(List.of(new GossipEntry(A, 5)), 2 * SEC))).isEmpty();
        assertThat(apply(view.gossip(List.of(new GossipEntry(A, 4)), 2 * SEC))).isEmpty();
        assertThat(state(A)).isEqualTo(MemberState.DOWN);
        assertThat(apply(view.gossip(List.of(new GossipEntry(A, 6)), 3 * SEC))).containsExactly(new MembershipEvent.Dial(A));
        assertThat(state(A)).isEqualTo(MemberState.JOINING);
        assertThat(view.member(A).orElseThrow().incarnation()).isEqualTo(6);
    }

    @Test
    void aDownMember_isForgottenAfterTheRetention() {
        apply(view.connected(A, 5, 0));
        apply(view.disconnected(A, 5, SEC));
        assertThat(apply(view.tick(SEC + RETENTION, TIMEOUT, RETENTION))).isEmpty();
        assertThat(apply(view.tick(SEC + RETENTION + 1, TIMEOUT, RETENTION))).containsExactly(new MembershipEvent.Forget(A));
        assertThat(view.member(A)).isEmpty();
    }

    @Test
    void anAnnouncedNodeNeverReached_isGivenUpAsConnectionRefused() {
        apply(view.gossip(List.of(new GossipEntry(A, 5)), 0));
        List<MembershipEvent> events = apply(view.tick(RETENTION + 1, TIMEOUT, RETENTION));
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isEqualTo(new MembershipEvent.Forget(A));
        assertThat(events.get(1)).isInstanceOfSatisfying(MembershipEvent.Down.class,
                d -> assertThat(d.reason()).isEqualTo(NodeDownReason.CONNECTION_REFUSED));
    }

    @Test
    void aGracefulShutdown_isReportedAndTheNodeIsNotRedialed_unlessItIsASeed() {
        apply(view.connected(A, 5, 0));
        List<MembershipEvent> events = apply(view.gracefulShutdown(A, 5, SEC));
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(MembershipEvent.Down.class,
                d -> assertThat(d.reason()).isEqualTo(NodeDownReason.GRACEFUL_SHUTDOWN));
        assertThat(events.get(1)).isEqualTo(new MembershipEvent.Forget(A));
        apply(view.seed(B, 0));
        apply(view.connected(B, 2, 0));
        assertThat(apply(view.gracefulShutdown(B, 2, SEC))).singleElement().isInstanceOf(MembershipEvent.Down.class);
    }

    @Test
    void aShutdownNoticeForAnotherIncarnation_isIgnored() {
        apply(view.connected(A, 6, 0));
        assertThat(apply(view.gracefulShutdown(A, 5, SEC))).isEmpty();
        assertThat(state(A)).isEqualTo(MemberState.UP);
    }

    @Test
    void theDigest_holdsThisNodeAndTheMembersThatAreUp() {
        apply(view.connected(A, 5, 0));
        apply(view.gossip(List.of(new GossipEntry(B, 9)), 0));
        assertThat(view.digest(42)).containsExactly(new GossipEntry(SELF, 42), new GossipEntry(A, 5));
    }

    @Test
    void anyTrafficFromAMember_countsAsAHeartbeat() {
        apply(view.connected(A, 5, 0));
        apply(view.alive(A, 5, 2 * SEC));
        assertThat(apply(view.tick(2 * SEC + TIMEOUT, TIMEOUT, RETENTION))).isEmpty();
        assertThat(apply(view.alive(A, 4, 9 * SEC))).isEmpty();
        assertThat(apply(view.tick(2 * SEC + TIMEOUT + 1, TIMEOUT, RETENTION))).hasSize(2);
    }
}
