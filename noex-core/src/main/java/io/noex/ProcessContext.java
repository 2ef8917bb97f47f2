package io.noex;

/**
 * Which process the current thread is running, Erlang's {@code self()}. Each process runs on
 * virtual threads of its own, so the binding is set when a process thread starts and never
 * changes; it is how the static facades find "the current node".
 *
 * <p>This is execution context, not a global: a thread-local is the JDK's means of attaching it
 * to a thread ({@code ScopedValue} would do, but is not final in Java 21).
 */
final class ProcessContext {

    private static final ThreadLocal<ServerProcess> CURRENT = new ThreadLocal<>();

    private ProcessContext() {
    }

    /** @return the process running on this thread, or null on any other thread */
    static ServerProcess current() {
        return CURRENT.get();
    }

    static void bind(ServerProcess process) {
        CURRENT.set(process);
    }
}
