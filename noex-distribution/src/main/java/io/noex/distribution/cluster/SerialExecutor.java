package io.noex.distribution.cluster;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a virtual thread that exists only while there
 * is work. Membership changes go through one of these so that they are applied and reported in
 * the order they happened, whichever event loop or timer saw them; user callbacks go through
 * another so that a slow one delays only other callbacks, never membership.
 *
 * <p>Threading: {@link #execute} from any thread; tasks never run concurrently with each other. A
 * task that throws is logged at WARN (naming the executor) and the next task runs.
 */
public final class SerialExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final String name;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    /** @param name names the executor in logs */
    public SerialExecutor(String name) {
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        tasks.offer(task);
        if (draining.compareAndSet(false, true)) {
            Thread.ofVirtual().start(this::drain);
        }
    }

    private void drain() {
        for (;;) {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    log.warn("{}: a task threw; ignored", name, t);
                }
            }
            draining.set(false);
            if (tasks.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
