package io.noex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test a fresh {@link Node} and checks afterwards that nothing was left behind: the
 * node closes to zero processes, monitors, timers and names, and its timer thread is gone.
 */
final class NodeLeakCheck implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NodeLeakCheck.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("node", Node.create("test"));
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Node.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return e.getStore(NS).get("node", Node.class);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Node node = context.getStore(NS).remove("node", Node.class);
        if (node == null) {
            return;
        }
        node.close();
        NodeStats s = node.stats();
        assertThat(s.processes()).as("processes left after close").isZero();
        assertThat(s.monitors()).as("monitors left after close").isZero();
        assertThat(s.timers()).as("timers left after close").isZero();
        assertThat(s.names()).as("names left after close").isZero();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(timerThreads()).as("timer thread of the closed node").doesNotContain("noex-timer-test"));
    }

    private static Set<String> timerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
