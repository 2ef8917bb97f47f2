package io.noex.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.noex.GenServerRef;
import io.noex.InvalidNodeIdException;
import io.noex.NodeId;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoWireTest {

    @Test
    void ref_roundTripsAProcessIdAndAName() {
        GenServerRef pid = new GenServerRef("<k3f9.42>", NodeId.parse("b@127.0.0.1:4370"));
        GenServerRef named = new GenServerRef("counter", NodeId.parse("node-1@[::1]:4369"));

        assertThat(DemoWire.ref(DemoWire.ref(pid))).isEqualTo(pid);
        assertThat(DemoWire.ref("<k3f9.42>@b@127.0.0.1:4370")).isEqualTo(pid);
        assertThat(DemoWire.ref(DemoWire.ref(named))).isEqualTo(named);
    }

    @Test
    void ref_ofSomethingElse_saysWhatARefLooksLike() {
        assertThatThrownBy(() -> DemoWire.ref("counter")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a ref (id@name@host:port): counter");
        assertThatThrownBy(() -> DemoWire.ref("@b@127.0.0.1:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DemoWire.ref("x@b@host:99999")).isInstanceOf(InvalidNodeIdException.class);
    }

    @Test
    void fields_keepTheRestInTheLastField_andOneLineJoinsLines() {
        assertThat(DemoWire.fields("EVENT monitor-down r error: boom", 3)).containsExactly("EVENT", "monitor-down", "r error: boom");
        assertThat(DemoWire.fields("a b c", -1)).isEqualTo(List.of("a", "b", "c"));
        assertThat(DemoWire.oneLine("two\nlines\r")).isEqualTo("two lines ");
    }
}
