package io.noex;

/**
 * A registered listener; closing it unregisters the listener. Closing twice does nothing.
 * {@snippet :
 * try (Subscription s = Cluster.onNodeDown((node, reason) -> log.warn("{} down: {}", node, reason))) {
 *     // ...
 * }
 * }
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /** Unregisters the listener; after this returns it is not called again. */
    @Override
    void close();

    /** Same as {@link #close()}, under the seed's name. */
    default void unsubscribe() {
        close();
    }
}
