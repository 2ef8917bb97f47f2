package io.noex;

import io.noex.spi.OneShot;

import java.time.Duration;
import java.util.Objects;

/**
 * Starting a process: allocate its ref, put it in the table (so messages sent during
 * {@code init} queue up), register its name and link it if asked, start its first drain (which
 * runs {@code init}), and wait for {@code init} up to the init timeout. On any failure the
 * process is gone before the exception reaches the caller, its name free again.
 *
 * <p>Threading: thread-safe; {@link #spawn} blocks the caller until {@code init} returns.
 */
final class Spawner {

    private final Node node;

    Spawner(Node node) {
        this.node = node;
    }

    GenServerRef spawn(GenServerBehavior<?> behavior, StartOptions options, ServerProcess linkTo) {
        Objects.requireNonNull(behavior, "behavior");
        Objects.requireNonNull(options, "options");
        ProcessTable table = node.table();
        GenServerRef ref = new GenServerRef(table.nextId(), node.nodeId());
        InitRequest req = new InitRequest(options.args());
        ServerProcess p = new ServerProcess(node, ref, behavior, options.trapExit(), req);
        table.add(p);
        try {
            if (options.name().isPresent()) {
                table.register(options.name().get(), p);
            }
            if (linkTo != null) {
                node.signals().link(linkTo.ref, ref);
            }
        } catch (RuntimeException e) {
            p.exit(ExitReason.noproc());
            throw e;
        }
        node.counters().processStarted();
        p.startInit();
        Duration timeout = options.initTimeout();
        Object outcome = req.await(timeout.toNanos());
        if (outcome == InitRequest.OK) {
            return ref;
        }
        if (outcome instanceof InitRequest.Failure f) {
            throw new InitFailedException(ref, f.message(), f.cause());
        }
        p.kill(ExitReason.killed());
        if (outcome == OneShot.INTERRUPTED) {
            throw new InitFailedException(ref, "interrupted while waiting for init of " + ref, null);
        }
        throw new InitTimeoutException(ref, timeout);
    }
}
