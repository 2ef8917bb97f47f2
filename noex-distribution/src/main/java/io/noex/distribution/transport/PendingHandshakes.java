package io.noex.distribution.transport;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Bounds the accepted connections that have not finished their handshake: at most
 * {@code perAddress} from one source address and {@code total} in all. A connection over either
 * limit is closed on accept, before any handler or buffer is set up for it, so a flood of
 * connections that never handshake costs a bounded amount of memory (each pending one can hold
 * at most {@link FrameDecoder#HANDSHAKE_MAX_FRAME} bytes, plus a TLS record when TLS is on) and
 * ends at the handshake timeout. Established connections and this node's own dials do not count.
 *
 * <p>Threading: thread-safe; acquired and released on event loops.
 */
final class PendingHandshakes {

    /** One accepted connection's place; released once, when its handshake ends either way. */
    final class Permit {
        private final InetAddress from;
        private boolean released;

        private Permit(InetAddress from) {
            this.from = from;
        }

        /** Gives the place back; later calls do nothing. */
        void release() {
            synchronized (PendingHandshakes.this) {
                if (released) {
                    return;
                }
                released = true;
                total--;
                byAddress.computeIfPresent(from, (a, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    private final int maxTotal;
    private final int maxPerAddress;
    private final Map<InetAddress, Integer> byAddress = new HashMap<>();
    private int total;

    /**
     * @param maxTotal pending handshakes allowed in all; at least 1
     * @param maxPerAddress pending handshakes allowed from one address; at least 1
     */
    PendingHandshakes(int maxTotal, int maxPerAddress) {
        if (maxTotal < 1 || maxPerAddress < 1) {
            throw new IllegalArgumentException("limits must be at least 1: total " + maxTotal + ", per address " + maxPerAddress);
        }
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * @param from the connection's source address
     * @return a permit, or empty when a limit is reached (the connection must be closed)
     */
    synchronized Optional<Permit> tryAcquire(InetAddress from) {
        int fromThere = byAddress.getOrDefault(from, 0);
        if (total >= maxTotal || fromThere >= maxPerAddress) {
            return Optional.empty();
        }
        total++;
        byAddress.put(from, fromThere + 1);
        return Optional.of(new Permit(from));
    }

    /** @return why a connection from {@code from} was refused, naming the limit it hit */
    synchronized String refusal(InetAddress from) {
        return total >= maxTotal
                ? total + " connections are waiting for their handshake, the limit for all addresses"
                : byAddress.getOrDefault(from, 0) + " connections from " + from.getHostAddress()
                        + " are waiting for their handshake, the limit for one address";
    }

    /** @return accepted connections whose handshake has not ended */
    synchronized int pending() {
        return total;
    }
}
