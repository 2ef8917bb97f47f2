package io.noex.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.NodeId;
import io.noex.distribution.NodeInfo;
import io.noex.distribution.NodeStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

        String text = print(new StatusProbe.Snapshot(A, PROBE, members, NOW, true));

        assertThat(text).isEqualTo(String.join(System.lineSeparator(),
                "2 members, seen through a@127.0.0.1:4369 by probe noex-status-abc123@127.0.0.1:39211",
                "",
                "NODE              STATUS     PROCESSES  UPTIME  LAST HEARTBEAT",
                "a@127.0.0.1:4369  connected          2  3m 12s  0.1s ago",
                "b@127.0.0.1:4370  connected       1234  1m 02s  0.4s ago",
                ""));
    }

    @Test
    void print_whenAMemberNeverAnswered_showsDashesAndSaysTheViewIsIncomplete() {
        List<NodeInfo> members = List.of(
                new NodeInfo(A, NodeStatus.CONNECTED, 2, Optional.of(NOW), Duration.ofSeconds(5), 1),
                new NodeInfo(B, NodeStatus.DISCONNECTED, 0, Optional.empty(), Duration.ZERO, 1));

        String text = print(new StatusProbe.Snapshot(A, PROBE, members, NOW, false));

        assertThat(text).containsPattern("(?m)^b@127\\.0\\.0\\.1:4370 +disconnected +- +- +-$")
                .contains("(incomplete: a member shown without a heartbeat did not answer the probe in time");
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
