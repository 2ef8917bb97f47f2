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
        node.register("cache", ref);
        assertThat(node.whereis("cache")).contains(ref);
        assertThat(node.lookup("cache")).isEqualTo(ref);
        assertThat(node.registeredNames()).containsExactly("cache");
        assertThat(node.unregister("cache")).isTrue();
        assertThat(node.unregister("cache")).isFalse();
        assertThat(node.whereis("cache")).isEmpty();
        assertThatThrownBy(() -> node.lookup("cache"))
                .isInstanceOfSatisfying(NameNotRegisteredException.class, e -> assertThat(e.name()).isEqualTo("cache"));
    }

    @Test
    void aNameIsReleasedWhenItsProcessExits(Node node) {
        GenServerRef ref = node.start(new Probe(), StartOptions.builder().name("worker").build());
        assertThat(node.whereis("worker")).contains(ref);
        node.kill(ref);
        assertThat(node.whereis("worker")).isEmpty();
        GenServerRef next = node.start(new Probe(), StartOptions.builder().name("worker").build());
        assertThat(node.lookup("worker")).isEqualTo(next);
    }

    @Test
    void doubleRegistration_failsNamingTheHolder_andChangesNothing(Node node) {
        GenServerRef first = node.start(new Probe(), StartOptions.builder().name("svc").build());
        GenServerRef second = node.start(new Probe());
        assertThatThrownBy(() -> node.register("svc", second))
                .isInstanceOfSatisfying(NameAlreadyRegisteredException.class, e -> {
                    assertThat(e.name()).isEqualTo("svc");
                    assertThat(e.holder()).isEqualTo(first);
                    assertThat(e.getMessage()).contains(first.toString());
                });
        assertThatThrownBy(() -> node.start(new Probe(), StartOptions.builder().name("svc").build()))
                .isInstanceOf(NameAlreadyRegisteredException.class);
        assertThat(node.lookup("svc")).isEqualTo(first);
        assertThat(node.processCount()).isEqualTo(2);
    }

    @Test
    void aProcessHasAtMostOneName(Node node) {
        GenServerRef ref = node.start(new Probe(), StartOptions.builder().name("one").build());
        node.register("one", ref);
        assertThatThrownBy(() -> node.register("two", ref)).isInstanceOf(NameAlreadyRegisteredException.class)
                .hasMessageContaining("already registered as 'one'");
    }

    @Test
    void registeringADeadOrRemoteProcess_fails(Node node) {
        GenServerRef ref = node.start(new Probe());
        node.stop(ref);
        assertThatThrownBy(() -> node.register("x", ref)).isInstanceOf(ServerNotRunningException.class);
        GenServerRef remote = new GenServerRef("<a.1>", NodeId.parse("other@10.0.0.1:4369"));
        assertThatThrownBy(() -> node.register("x", remote)).isInstanceOf(ServerNotRunningException.class);
        assertThatThrownBy(() -> node.register("<bad", node.start(new Probe())))
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
