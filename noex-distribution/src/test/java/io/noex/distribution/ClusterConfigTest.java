package io.noex.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.noex.NodeId;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

    private static ClusterConfig.Builder valid() {
        return ClusterConfig.builder().nodeName("a");
    }

    private static void rejects(UnaryOperator<ClusterConfig.Builder> change, String field, String text) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOfSatisfying(InvalidClusterConfigException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining("ClusterConfig." + field)
                .hasMessageContaining(text);
    }

    @Test
    void defaults_matchTheSpec() {
        ClusterConfig c = valid().build();
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(4369);
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.heartbeatMissThreshold()).isEqualTo(3);
        assertThat(c.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.reconnectBaseDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxFrameSize()).isEqualTo(16 * 1024 * 1024);
        assertThat(c.seeds()).isEmpty();
        assertThat(c.clusterSecret()).isEmpty();
        assertThat(c.advertisedHost()).isEmpty();
    }

    @Test
    void seedsAndSecret_areParsedAndKeptPrivate() {
        ClusterConfig c = valid().seeds("b@10.0.0.2:4369", "c@[::1]:4370").clusterSecret("s3cret").build();
        assertThat(c.seeds()).containsExactly(NodeId.parse("b@10.0.0.2:4369"), NodeId.parse("c@[::1]:4370"));
        assertThat(c.clusterSecret()).isPresent();
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void everyBrokenRule_namesItsField() {
        rejects(b -> ClusterConfig.builder(), "nodeName", "required");
        rejects(b -> b.nodeName("1abc"), "nodeName", "must start with a letter");
        rejects(b -> b.host("bad host"), "host", "not a valid");
        rejects(b -> b.advertisedHost("0.0.0.0"), "advertisedHost", "wildcard");
        rejects(b -> b.port(65536), "port", "0 to 65535");
        rejects(b -> b.port(-1), "port", "0 to 65535");
        rejects(b -> b.advertisedPort(70000), "advertisedPort", "1 to 65535");
        rejects(b -> b.seeds("nonsense"), "seeds", "name@host:port");
        rejects(b -> b.seeds("a@h:4369xyz"), "seeds", "port must be an integer");
        rejects(b -> b.clusterSecret(""), "clusterSecret", "must not be empty");
        rejects(b -> b.heartbeatInterval(Duration.ZERO), "heartbeatInterval", "must be from");
        rejects(b -> b.heartbeatMissThreshold(1), "heartbeatMissThreshold", "at least 2");
        rejects(b -> b.reconnectBaseDelay(Duration.ofSeconds(5)).reconnectMaxDelay(Duration.ofSeconds(1)),
                "reconnectMaxDelay", "must be from");
        rejects(b -> b.maxFrameSize(10), "maxFrameSize", "1024");
        rejects(b -> b.ioThreads(0), "ioThreads", "1 to 64");
        rejects(b -> b.outboundHighWaterMark(10), "outboundHighWaterMark", "at least");
    }

    @Test
    void flowControl_refusesByDefault_andItsBlockTimeoutIsBounded() {
        ClusterConfig c = valid().build();
        assertThat(c.outboundHighWaterMark()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.outboundOverflow()).isEqualTo(OutboundOverflow.REFUSE);
        assertThat(c.outboundBlockTimeout()).isEqualTo(Duration.ofSeconds(5));
        ClusterConfig blocking = valid().outboundOverflow(OutboundOverflow.BLOCK).outboundBlockTimeout(Duration.ofMillis(250)).build();
        assertThat(blocking.outboundOverflow()).isEqualTo(OutboundOverflow.BLOCK);
        assertThat(blocking.outboundBlockTimeout()).isEqualTo(Duration.ofMillis(250));
        rejects(b -> b.outboundOverflow(null), "outboundOverflow", "REFUSE or BLOCK");
        rejects(b -> b.outboundBlockTimeout(Duration.ZERO), "outboundBlockTimeout", "must be from");
        rejects(b -> b.outboundBlockTimeout(Duration.ofHours(1)), "outboundBlockTimeout", "must be from");
        rejects(b -> b.outboundBlockTimeout(null), "outboundBlockTimeout", "must be from");
    }
}
