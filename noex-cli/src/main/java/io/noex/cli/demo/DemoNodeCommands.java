package io.noex.cli.demo;

import io.noex.GenServer;
import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.NodeId;
import io.noex.SupervisorStrategy;
import io.noex.distribution.Cluster;
import io.noex.distribution.ClusterConfig;
import io.noex.distribution.DistributedChildInfo;
import io.noex.distribution.DistributedChildSpec;
import io.noex.distribution.DistributedSupervisor;
import io.noex.distribution.DistributedSupervisorEvent;
import io.noex.distribution.DistributedSupervisorRef;
import io.noex.distribution.DistributedSupervisorSpec;
import io.noex.distribution.GlobalRegistry;
import io.noex.distribution.GlobalRegistryEvent;
import io.noex.distribution.NodeSelector;
import io.noex.distribution.RemoteMonitor;
import io.noex.distribution.RemoteSpawn;
import io.noex.examples.Counter;
import io.noex.examples.Echo;
import io.noex.examples.ExampleBehaviors;
import io.noex.examples.workers.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What a demo node does when {@code noex demo} asks: each verb is one call of the library's
 * static API (the seed's names: {@code Cluster}, {@code RemoteSpawn}, {@code GenServer},
 * {@code GlobalRegistry}, {@code RemoteMonitor}, {@code DistributedSupervisor}) on this JVM's
 * node, so what the demo narrates is what the code below does.
 *
 * <table class="striped">
 *   <caption>Verbs</caption>
 *   <thead><tr><th>command</th><th>does</th><th>replies</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code start <name> <seed or ->}</td><td>{@code Cluster.start} on 127.0.0.1, a free port</td><td>the NodeId</td></tr>
 *     <tr><td>{@code spawn <behavior> <node>}</td><td>{@code RemoteSpawn.spawn}</td><td>ref, micros</td></tr>
 *     <tr><td>{@code increment <ref> <n>}</td><td>{@code GenServer.cast(ref, Counter.Increment(n))}</td><td>-</td></tr>
 *     <tr><td>{@code get <ref>}</td><td>{@code GenServer.call(ref, Counter.Get())}</td><td>value, micros</td></tr>
 *     <tr><td>{@code start-echo}</td><td>{@code GenServer.start(echo)} here</td><td>ref</td></tr>
 *     <tr><td>{@code register <name> <ref>}</td><td>{@code GlobalRegistry.register}</td><td>-</td></tr>
 *     <tr><td>{@code whereis <name>}</td><td>{@code GlobalRegistry.whereis}</td><td>ref or {@code -}</td></tr>
 *     <tr><td>{@code ping <ref> <text>}</td><td>{@code GenServer.call(ref, Echo.Ping(text))}</td><td>answering node, micros</td></tr>
 *     <tr><td>{@code monitor <ref>}</td><td>{@code RemoteMonitor.monitor}; an event when it fires</td><td>-</td></tr>
 *     <tr><td>{@code stop <ref>}</td><td>{@code GenServer.stop}</td><td>-</td></tr>
 *     <tr><td>{@code supervise <n>}</td><td>{@code DistributedSupervisor.start} with n workers, round-robin</td><td>supervisor ref</td></tr>
 *     <tr><td>{@code children}</td><td>{@code DistributedSupervisor.getChildren}</td><td>{@code id=ref} each</td></tr>
 *     <tr><td>{@code work <ref> <n>}</td><td>{@code GenServer.call(ref, Worker.Job(n))}</td><td>node, worker, primes, micros</td></tr>
 *     <tr><td>{@code quit}</td><td>{@code Cluster.stop}, then the JVM exits</td><td>-</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Events ({@code EVENT <kind> ...}): {@code up <node>}, {@code down <node> <reason>},
 * {@code registered <name> <ref>}, {@code monitor-down <ref> <reason>},
 * {@code node-failure <node> <child ids, comma separated>},
 * {@code migrated <child id> <from> <to> <ref>}, {@code supervisor <event>} for the others.
 *
 * <p>Threading: {@link #handle} runs on the node's main thread, one command at a time; events
 * are written from the library's listener threads through the same line sink.
 */
final class DemoNodeCommands {

    /** The supervisor's restart intensity: room for every migration of the demo and then some. */
    private static final int MAX_RESTARTS = 20;

    private final Consumer<String> out;
    private DistributedSupervisorRef supervisor;

    /** @param out writes one whole line to the demo */
    DemoNodeCommands(Consumer<String> out) {
        this.out = out;
    }

    /**
     * Runs one command line.
     *
     * @param verb what to do
     * @param args its fields
     * @return the reply's payload
     * @throws Exception whatever the library threw; the reply is then {@code ERR}
     */
    String handle(String verb, List<String> args) throws Exception {
        return switch (verb) {
            case "start" -> start(arg(args, 0), arg(args, 1));
            case "spawn" -> timed(() -> DemoWire.ref(RemoteSpawn.spawn(arg(args, 0), NodeId.parse(arg(args, 1))).ref()));
            case "increment" -> {
                GenServer.cast(ref(args, 0), new Counter.Increment(Integer.parseInt(arg(args, 1))));
                yield "-";
            }
            case "get" -> timed(() -> String.valueOf((Integer) GenServer.call(ref(args, 0), new Counter.Get())));
            case "start-echo" -> DemoWire.ref(GenServer.start(ExampleBehaviors.echo()));
            case "register" -> {
                GlobalRegistry.register(arg(args, 0), ref(args, 1));
                yield "-";
            }
            case "whereis" -> GlobalRegistry.whereis(arg(args, 0)).map(DemoWire::ref).orElse("-");
            case "ping" -> timed(() -> ((Echo.Pong) GenServer.call(ref(args, 0), new Echo.Ping(arg(args, 1)))).node().toString());
            case "monitor" -> {
                RemoteMonitor.monitor(ref(args, 0), (ref, reason) ->
                        event("monitor-down " + DemoWire.ref(ref) + " " + DemoWire.oneLine(reason.toString())));
                yield "-";
            }
            case "stop" -> {
                GenServer.stop(ref(args, 0));
                yield "-";
            }
            case "supervise" -> supervise(Integer.parseInt(arg(args, 0)));
            case "children" -> children();
            case "work" -> timed(() -> {
                Worker.Done done = GenServer.call(ref(args, 0), new Worker.Job(Integer.parseInt(arg(args, 1))));
                return done.node() + " " + done.worker() + " " + done.primes();
            });
            default -> throw new IllegalArgumentException("unknown command: " + verb);
        };
    }

    private String start(String name, String seed) {
        // Behaviors and message types first: a peer may spawn or send here as soon as we join.
        ExampleBehaviors.registerAll(Node.defaultNode());
        // Subscribed before the start, so that no node-up is missed.
        Cluster.onNodeUp(info -> event("up " + info.id()));
        Cluster.onNodeDown((id, reason) -> event("down " + id + " " + reason.name().toLowerCase(Locale.ROOT)));
        // Every other setting at its default: a killed node is seen by its closed connections, at
        // once, whatever the heartbeat interval (1 s, down after 3 missed: only a frozen node waits).
        ClusterConfig.Builder config = ClusterConfig.builder().nodeName(name).host("127.0.0.1").port(0);
        if (!seed.equals("-")) {
            config.seeds(seed);
        }
        Cluster.start(config.build());
        GlobalRegistry.onEvent(e -> {
            if (e instanceof GlobalRegistryEvent.Registered r) {
                event("registered " + r.name() + " " + DemoWire.ref(r.ref()));
            }
        });
        return Cluster.getLocalNodeId().toString();
    }

    private String supervise(int workers) {
        DistributedSupervisorSpec.Builder spec = DistributedSupervisorSpec.builder()
                .strategy(SupervisorStrategy.ONE_FOR_ONE)
                .nodeSelector(NodeSelector.roundRobin())
                .restartIntensity(MAX_RESTARTS, Duration.ofSeconds(60));
        for (int i = 1; i <= workers; i++) {
            spec.child(DistributedChildSpec.of("worker-" + i, Worker.BEHAVIOR, List.of("worker-" + i)));
        }
        supervisor = DistributedSupervisor.start(spec.build());
        DistributedSupervisor.onLifecycleEvent(supervisor, this::supervisorEvent);
        return DemoWire.ref(supervisor.ref());
    }

    private void supervisorEvent(DistributedSupervisorEvent e) {
        switch (e) {
            case DistributedSupervisorEvent.NodeFailureDetected f ->
                    event("node-failure " + f.node() + " " + String.join(",", f.childIds()));
            case DistributedSupervisorEvent.ChildMigrated m ->
                    event("migrated " + m.childId() + " " + m.from() + " " + m.to() + " " + DemoWire.ref(m.ref()));
            default -> event("supervisor " + DemoWire.oneLine(e.toString()));
        }
    }

    private String children() {
        if (supervisor == null) {
            throw new IllegalStateException("no supervisor here: send 'supervise' first");
        }
        List<String> fields = new ArrayList<>();
        for (DistributedChildInfo c : DistributedSupervisor.getChildren(supervisor)) {
            fields.add(c.id() + "=" + c.ref().map(DemoWire::ref).orElse("-"));
        }
        return String.join(" ", fields);
    }

    private void event(String text) {
        out.accept(DemoWire.EVENT + " " + text);
    }

    /** The work a timed command does. */
    @FunctionalInterface
    private interface Work {
        String run() throws Exception;
    }

    /** @return the work's result, then the microseconds it took: what a caller on this node waited */
    private static String timed(Work work) throws Exception {
        long start = System.nanoTime();
        String result = work.run();
        return result + " " + (System.nanoTime() - start) / 1000;
    }

    private static String arg(List<String> args, int i) {
        if (i >= args.size()) {
            throw new IllegalArgumentException("missing argument " + (i + 1));
        }
        return args.get(i);
    }

    private static GenServerRef ref(List<String> args, int i) {
        return DemoWire.ref(arg(args, i));
    }
}
