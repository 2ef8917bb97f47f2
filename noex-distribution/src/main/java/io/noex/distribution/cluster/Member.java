package io.noex.distribution.cluster;

import io.noex.NodeId;
import java.time.Instant;
import java.util.Optional;

/**
 * One member as this node sees it. Immutable.
 *
 * @param id its NodeId
 * @param incarnation its incarnation (0 while unknown: a seed never reached)
 * @param state joining, up or down
 * @param seed whether it is one of this node's seeds (redialed for ever)
 * @param sinceNanos when it entered {@code state}, on this node's clock
 * @param lastHeartbeatNanos when its latest heartbeat (or its connection) arrived, on this node's clock
 * @param lastHeartbeatAt the same, as wall time, if a heartbeat has arrived
 * @param processCount its process count, from its latest heartbeat
 * @param uptimeMillis its uptime, from its latest heartbeat
 */
public record Member(NodeId id, long incarnation, MemberState state, boolean seed, long sinceNanos,
                     long lastHeartbeatNanos, Optional<Instant> lastHeartbeatAt, int processCount, long uptimeMillis) {

    static Member joining(NodeId id, long incarnation, boolean seed, long now) {
        return new Member(id, incarnation, MemberState.JOINING, seed, now, now, Optional.empty(), 0, 0);
    }

    Member withState(MemberState next, long now) {
        return new Member(id, incarnation, next, seed, now, lastHeartbeatNanos, lastHeartbeatAt, processCount, uptimeMillis);
    }

    Member up(long newIncarnation, long now) {
        return new Member(id, newIncarnation, MemberState.UP, seed, now, now, Optional.empty(), 0, 0);
    }

    Member heartbeat(int processes, long uptime, long now, Instant wall) {
        return new Member(id, incarnation, state, seed, sinceNanos, now, Optional.of(wall), processes, uptime);
    }

    Member joiningAgain(long newIncarnation, long now) {
        return new Member(id, newIncarnation, MemberState.JOINING, seed, now, now, Optional.empty(), 0, 0);
    }

    Member asSeed() {
        return new Member(id, incarnation, state, true, sinceNanos, lastHeartbeatNanos, lastHeartbeatAt, processCount, uptimeMillis);
    }
}
