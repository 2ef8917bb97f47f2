package io.noex.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.NodeId;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusProbeTest {

    private static final NodeId SEED = NodeId.parse("a@127.0.0.1:4369");

    @Test
    void unreachable_namesTheCauseTheProbesCountersShow() {
        assertThat(StatusProbe.unreachable(SEED, false, Duration.ofSeconds(5), Map.of()).getMessage())
                .isEqualTo("cannot reach a@127.0.0.1:4369 within 5s: is it running? is --secret right?");
        assertThat(StatusProbe.unreachable(SEED, false, Duration.ofSeconds(5), Map.of("authentication_failed", 1L)).getMessage())
                .isEqualTo("cannot join a@127.0.0.1:4369: its cluster requires a secret; pass it with --secret or NOEX_SECRET");
        assertThat(StatusProbe.unreachable(SEED, true, Duration.ofSeconds(5), Map.of("unsupported_version", 2L)).getMessage())
                .isEqualTo("cannot join a@127.0.0.1:4369: the connection was rejected (unsupported_version)");
        assertThat(StatusProbe.unreachable(SEED, false, Duration.ofSeconds(5), Map.of("untrusted_certificate", 1L)).getMessage())
                .isEqualTo("cannot join a@127.0.0.1:4369: TLS failed (untrusted_certificate); every node of a TLS cluster "
                        + "needs --tls-cert, --tls-key and --tls-ca, with certificates signed by a CA the others trust");
        assertThat(StatusProbe.unreachable(SEED, true, Duration.ofSeconds(5), Map.of()).exitCode()).isEqualTo(CliFailure.RUNTIME);
    }

    @Test
    void probeHost_isLoopbackForASeedOnThisMachine() {
        assertThat(StatusProbe.probeHost(SEED)).isEqualTo("127.0.0.1");
        assertThat(StatusProbe.probeHost(NodeId.parse("a@localhost:4369"))).isEqualTo("127.0.0.1");
        assertThat(StatusProbe.probeHost(NodeId.parse("a@db1.example.com:4369"))).isEqualTo("0.0.0.0");
    }
}
