package io.noex.distribution.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.NodeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Membership}'s invariants under random sequences of inputs: incarnations never decrease,
 * Up and Down alternate for each member (at most one Down per Up), this node is never a member,
 * and gossip alone never reports a node up or down.
 */
class MembershipPropertiesTest {

    private static final NodeId SELF = NodeId.parse("self@127.0.0.1:1");
    private static final List<NodeId> NODES = List.of(SELF, NodeId.parse("a@127.0.0.1:2"),
            NodeId.parse("b@127.0.0.1:3"), NodeId.parse("c@127.0.0.1:4"));
    private static final long SEC = 1_000_000_000L;

    /** One random input. */
    record Input(int kind, int node, long incarnation, long advance) {
    }

    @Provide
    Arbitrary<List<Input>> inputs() {
        Arbitrary<Input> one = Combinators.combine(
                Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, NODES.size() - 1),
                Arbitraries.longs().between(1, 4),
                Arbitraries.longs().between(0, 5 * SEC)).as(Input::new);
        return one.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 2000)
    void invariantsHold(@ForAll("inputs") List<Input> inputs) {
        Membership view = Membership.empty(SELF);
        long now = 0;
        Map<NodeId, Long> lastIncarnation = new HashMap<>();
        Map<NodeId, Boolean> reportedUp = new HashMap<>();
        for (Input in : inputs) {
            now += in.advance();
            NodeId id = NODES.get(in.node());
            Membership.Transition t = switch (in.kind()) {
                case 0 -> view.seed(id, now);
                case 1 -> view.connected(id, in.incarnation(), now);
                case 2 -> view.disconnected(id, in.incarnation(), now);
                case 3 -> view.heartbeat(id, in.incarnation(), 1, 1, now, Instant.EPOCH);
                case 4 -> view.gossip(List.of(new GossipEntry(id, in.incarnation())), now);
                case 5 -> view.gracefulShutdown(id, in.incarnation(), now);
                default -> view.tick(now, 3 * SEC, 20 * SEC);
            };
            if (in.kind() == 4) {
                assertThat(t.events()).allMatch(e -> e instanceof MembershipEvent.Dial);
            }
            List<MembershipEvent> events = new ArrayList<>(t.events());
            for (MembershipEvent e : events) {
                switch (e) {
                    case MembershipEvent.Up u -> {
                        assertThat(reportedUp.getOrDefault(u.member().id(), false))
                                .as("Up of %s while already up", u.member().id()).isFalse();
                        reportedUp.put(u.member().id(), true);
                    }
                    case MembershipEvent.Down d -> {
                        if (d.reason() != io.noex.distribution.NodeDownReason.CONNECTION_REFUSED) {
                            assertThat(reportedUp.getOrDefault(d.member().id(), false))
                                    .as("Down of %s that was not up", d.member().id()).isTrue();
                        }
                        reportedUp.put(d.member().id(), false);
                    }
                    default -> {
                    }
                }
            }
            view = t.next();
            assertThat(view.member(SELF)).isEmpty();
            for (Member m : view.members()) {
                long before = lastIncarnation.getOrDefault(m.id(), 0L);
                assertThat(m.incarnation()).as("incarnation of %s", m.id()).isGreaterThanOrEqualTo(before);
                lastIncarnation.put(m.id(), m.incarnation());
                assertThat(m.state() == MemberState.UP).as("view and reports agree on %s", m.id())
                        .isEqualTo(reportedUp.getOrDefault(m.id(), false));
            }
            for (NodeId gone : NODES) {
                if (view.member(gone).isEmpty()) {
                    lastIncarnation.remove(gone);
                    assertThat(reportedUp.getOrDefault(gone, false)).isFalse();
                }
            }
        }
    }
}
