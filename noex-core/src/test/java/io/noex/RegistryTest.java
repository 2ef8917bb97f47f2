package io.noex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NodeLeakCheck.class)
@Timeout(30)
class RegistryTest {

    @Test
    void register_whereis_lookup_unregister(Node node) {
        GenServerRef ref = node.start(new Probe());
        node.names().register("cache", ref);
        assertThat(node.names().whereis("cache")).contains(ref);
        assertThat(node.names().lookup("cache")).isEqualTo(ref);
        assertThat(node.names().names()).containsExactly("cache");
        assertThat(node.names().unregister("cache")).isTrue();
        assertThat(node.names().unregister("cache")).isFalse();
        assertThat(node.names().whereis("cache")).isEmpty();
        assertThatThrownBy(() -> node.names().lookup("cache"))
                .isInstanceOfSatisfying(NameNotRegisteredException.class, e -> assertThat(e.name()).isEqualTo("cache"));
    }

    @Test
    void aNameIsReleasedWhenItsProcessExits(Node node) {
        GenServerRef ref = node.start(new Probe(), StartOptions.builder().name("worker").build());
        assertThat(node.names().whereis("worker")).contains(ref);
        node.kill(ref);
        assertThat(node.names().whereis("worker")).isEmpty();
        GenServerRef next = node.start(new Probe(), StartOptions.builder().name("worker").build());
        assertThat(node.names().lookup("worker")).isEqualTo(next);
    }

    @Test
    void doubleRegistration_failsNamingTheHolder_andChangesNothing(Node node) {
        GenServerRef first = node.start(new Probe(), StartOptions.builder().name("svc").build());
        GenServerRef second = node.start(new Probe());
        assertThatThrownBy(() -> node.names().register("svc", second))
                .isInstanceOfSatisfying(NameAlreadyRegisteredException.class, e -> {
                    assertThat(e.name()).isEqualTo("svc");
                    assertThat(e.holder()).isEqualTo(first);
                    assertThat(e.getMessage()).contains(first.toString());
                });
        assertThatThrownBy(() -> node.start(new Probe(), StartOptions.builder().name("svc").build()))
                .isInstanceOf(NameAlreadyRegisteredException.class);
        assertThat(node.names().lookup("svc")).isEqualTo(first);
        assertThat(node.processCount()).isEqualTo(2);
    }

    @Test
    void aProcessHasAtMostOneName(Node node) {
        GenServerRef ref = node.start(new Probe(), StartOptions.builder().name("one").build());
        node.names().register("one", ref);
        assertThatThrownBy(() -> node.names().register("two", ref)).isInstanceOf(NameAlreadyRegisteredException.class)
                .hasMessageContaining("already registered as 'one'");
    }

    @Test
    void registeringADeadOrRemoteProcess_fails(Node node) {
        GenServerRef ref = node.start(new Probe());
        node.stop(ref);
        assertThatThrownBy(() -> node.names().register("x", ref)).isInstanceOf(ServerNotRunningException.class);
        GenServerRef remote = new GenServerRef("<a.1>", NodeId.parse("other@10.0.0.1:4369"));
        assertThatThrownBy(() -> node.names().register("x", remote)).isInstanceOf(ServerNotRunningException.class);
        assertThatThrownBy(() -> node.names().register("<bad", node.start(new Probe())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRefMayNameAProcessByItsRegisteredName(Node node) {
        node.start(new Probe(), StartOptions.builder().name("counter").build());
        GenServerRef byName = new GenServerRef("counter", node.nodeId());
        node.cast(byName, "inc");
        assertThat((int) node.call(byName, "count")).isEqualTo(1);
        assertThat(byName.isProcessId()).isFalse();
    }
}
