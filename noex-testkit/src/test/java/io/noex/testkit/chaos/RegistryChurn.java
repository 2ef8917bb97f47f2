package io.noex.testkit.chaos;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.distribution.ConflictAction;
import io.noex.distribution.GlobalNameConflictException;
import io.noex.distribution.GlobalNames;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Steady global-registry traffic from this node: it registers and unregisters names of its own
 * ({@code own.<node>.<i>}), and competes with every other node for a few shared names
 * ({@code shared.<j>}, registered with {@link ConflictAction#MESSAGE}, so a loser is told and
 * lives on), all held by this node's {@link NameHolder}. The test pauses it ({@link #pause}) to
 * check that every live node's table converged on the same holders.
 *
 * <p>Threading: thread-safe; one virtual thread.
 */
final class RegistryChurn implements AutoCloseable {

    static final int OWN_NAMES = 8;
    static final int SHARED_NAMES = 4;

    private final Node node;
    private final String self;
    private final GenServerRef holder;
    private final Duration pause;
    private final ChaosLedger ledger;
    private final Object lock = new Object();
    private boolean paused;
    private boolean busy;
    private volatile boolean running = true;
    private Thread thread;

    RegistryChurn(Node node, String self, GenServerRef holder, Duration pause, ChaosLedger ledger) {
        this.node = node;
        this.self = self;
        this.holder = holder;
        this.pause = pause;
        this.ledger = ledger;
    }

    void start() {
        thread = Thread.ofVirtual().name("noex-chaos-registry").start(this::loop);
    }

    private void loop() {
        GlobalNames names = GlobalNames.of(node);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running) {
            synchronized (lock) {
                while (paused && running) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                busy = true;
            }
            try {
                int dice = random.nextInt(100);
                if (dice < 40) {
                    names.register("own." + self + "." + random.nextInt(OWN_NAMES), holder);
                    ledger.count("registry.register");
                } else if (dice < 65) {
                    if (names.unregister("own." + self + "." + random.nextInt(OWN_NAMES))) {
                        ledger.count("registry.unregister");
                    }
                } else if (dice < 90) {
                    try {
                        names.register("shared." + random.nextInt(SHARED_NAMES), holder, ConflictAction.MESSAGE);
                        ledger.count("registry.register");
                    } catch (GlobalNameConflictException e) {
                        ledger.count("registry.taken");
                    }
                } else if (names.unregister("shared." + random.nextInt(SHARED_NAMES))) {
                    ledger.count("registry.unregister");
                }
            } catch (RuntimeException e) {
                ledger.violation("registry-unexpected", "a registry operation of " + self + " failed: " + e);
            } finally {
                synchronized (lock) {
                    busy = false;
                    lock.notifyAll();
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Stops issuing operations and waits until the one in progress, if any, has returned.
     *
     * @throws IllegalStateException if an operation does not return within 5 s
     */
    void pause() {
        synchronized (lock) {
            paused = true;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (busy) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("a registry operation of " + self + " did not return within 5 s");
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Lets operations go on. */
    void resume() {
        synchronized (lock) {
            paused = false;
            lock.notifyAll();
        }
    }

    /**
     * @param node a clustered node
     * @return its global names and their holders, {@code name=id@node} separated by spaces, sorted
     */
    static String table(Node node) {
        GlobalNames names = GlobalNames.of(node);
        TreeMap<String, String> out = new TreeMap<>();
        for (String name : names.getNames()) {
            Optional<GenServerRef> ref = names.whereis(name);
            ref.ifPresent(r -> out.put(name, r.id() + "@" + r.nodeId()));
        }
        return out.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    @Override
    public void close() {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
