package io.noex.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.NodeId;
import io.noex.distribution.NodeInfo;
import io.noex.distribution.NodeSnapshot;
import io.noex.distribution.ObservedStatus;
import io.noex.distribution.NodeStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemberTableTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final NodeId A = NodeId.parse("a@127.0.0.1:4369");
    private static final NodeId B = NodeId.parse("b@127.0.0.1:4370");
    private static final NodeId PROBE = NodeId.parse("noex-status-abc123@127.0.0.1:39211");

    private static String print(StatusProbe.Snapshot s) {
        StringWriter w = new StringWriter();
        MemberTable.print(s, new PrintWriter(w));
        return w.toString();
    }

    @Test
    void print_alignsOneRowPerMember_withProcessesUptimeAndHeartbeatAge() {
        List<NodeInfo> members = List.of(
                new NodeInfo(A, NodeStatus.CONNECTED, 2, Optional.of(NOW.minusMillis(100)), Duration.ofSeconds(192), 1),
                new NodeInfo(B, NodeStatus.CONNECTED, 1234, Optional.of(NOW.minusMillis(400)), Duration.ofSeconds(62), 1));

        Map<NodeId, NodeSnapshot> observed = Map.of(
                A, observed(A, ObservedStatus.CONNECTED, 3, 1, 154, 21, 4096),
                B, observed(B, ObservedStatus.CONNECTED, 1234, 0, 12, 18, 512));

        String text = print(new StatusProbe.Snapshot(A, PROBE, members, NOW, true, observed));

        assertThat(text).isEqualTo(String.join(System.lineSeparator(),
                "2 members, seen through a@127.0.0.1:4369 by probe noex-status-abc123@127.0.0.1:39211",
                "",
                "NODE              STATUS     PROCESSES  SUPERVISORS  MESSAGES  HEAP         UPTIME  LAST HEARTBEAT",
                "a@127.0.0.1:4369  connected          3            1       154  21/4096 MiB  3m 12s  0.1s ago",
                "b@127.0.0.1:4370  connected       1234            0        12  18/512 MiB   1m 02s  0.4s ago",
                ""));
    }

    @Test
    void print_whenAMemberNeverAnswered_showsDashesAndSaysTheViewIsIncomplete() {
        List<NodeInfo> members = List.of(
                new NodeInfo(A, NodeStatus.CONNECTED, 2, Optional.of(NOW), Duration.ofSeconds(5), 1),
                new NodeInfo(B, NodeStatus.DISCONNECTED, 0, Optional.empty(), Duration.ZERO, 1));

        String text = print(new StatusProbe.Snapshot(A, PROBE, members, NOW, false, Map.of()));

        assertThat(text).containsPattern("(?m)^b@127\\.0\\.0\\.1:4370 +disconnected +- +- +- +- +- +-$")
                .contains("(incomplete: a member shown without a heartbeat did not answer the probe in time");
    }

    @Test
    void print_aMemberThatDidNotAnswerTheObserver_showsItsStatus_theHeartbeatsCount_andTheError() {
        List<NodeInfo> members = List.of(
                new NodeInfo(A, NodeStatus.CONNECTED, 2, Optional.of(NOW), Duration.ofSeconds(5), 1),
                new NodeInfo(B, NodeStatus.CONNECTED, 7, Optional.of(NOW), Duration.ofSeconds(5), 1));
        Map<NodeId, NodeSnapshot> observed = Map.of(
                A, NodeSnapshotOf.absent(A, ObservedStatus.TIMEOUT, null),
                B, NodeSnapshotOf.absent(B, ObservedStatus.ERROR, "snapshot refused: boom"));

        String text = print(new StatusProbe.Snapshot(A, PROBE, members, NOW, true, observed));

        assertThat(text).containsPattern("(?m)^a@127\\.0\\.0\\.1:4369 +timeout +2 +- +- +- +5s +0\\.0s ago$")
                .containsPattern("(?m)^b@127\\.0\\.0\\.1:4370 +error +7 +- +- +-")
                .contains("b@127.0.0.1:4370: snapshot refused: boom");
    }

    private static NodeSnapshot observed(NodeId id, ObservedStatus status, int processes, int supervisors, long handled,
                                         long heapMib, long maxMib) {
        return new NodeSnapshot(id, status, processes, supervisors, handled, 0, 0, 0, heapMib * 1024 * 1024,
                maxMib * 1024 * 1024, Duration.ofSeconds(1), Optional.empty());
    }

    /** A snapshot of a member that did not answer. */
    private static final class NodeSnapshotOf {
        static NodeSnapshot absent(NodeId id, ObservedStatus status, String error) {
            return new NodeSnapshot(id, status, 0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO, Optional.ofNullable(error));
        }
    }

    @Test
    void isComplete_needsAHeartbeatFromEveryMember() {
        NodeInfo heard = new NodeInfo(A, NodeStatus.CONNECTED, 2, Optional.of(NOW), Duration.ZERO, 1);
        NodeInfo silent = new NodeInfo(B, NodeStatus.CONNECTED, 0, Optional.empty(), Duration.ZERO, 1);

        assertThat(StatusProbe.isComplete(List.of(heard))).isTrue();
        assertThat(StatusProbe.isComplete(List.of(heard, silent))).isFalse();
        assertThat(StatusProbe.isComplete(List.of())).isFalse();
    }
}
