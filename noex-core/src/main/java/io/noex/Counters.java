package io.noex;

import java.util.concurrent.atomic.LongAdder;

/**
 * The node's running counters. Cheap to bump from any thread (striped adders); read as a
 * {@link NodeStats} snapshot.
 */
final class Counters {

    final LongAdder started = new LongAdder();
    final LongAdder exited = new LongAdder();
    final LongAdder crashed = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder handled = new LongAdder();

    void processStarted() {
        started.increment();
    }

    void processExited(ExitReason reason) {
        exited.increment();
        if (reason instanceof ExitReason.Error) {
            crashed.increment();
        }
    }

    void messageHandled() {
        handled.increment();
    }

    void messageDropped() {
        dropped.increment();
    }
}
