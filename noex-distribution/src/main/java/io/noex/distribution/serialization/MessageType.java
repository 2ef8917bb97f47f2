package io.noex.distribution.serialization;

/**
 * The message types of the wire protocol, with their stable codes. A frame whose code is not
 * listed here is dropped and counted by the receiver; it never fails the connection.
 */
public enum MessageType {
    /** Liveness and load: sent to every connected peer each heartbeat interval. */
    HEARTBEAT(1),
    /** Membership digest: every member's identity, incarnation and status. */
    GOSSIP(2),
    /** A node announcing its own graceful shutdown. */
    NODE_DOWN(3),
    /** A call to a process; answered by exactly one CALL_REPLY or CALL_ERROR. */
    CALL(10),
    /** The reply to a CALL. */
    CALL_REPLY(11),
    /** The failure of a CALL (not running, crashed, rejected, undecodable, ...). */
    CALL_ERROR(12),
    /** A cast to a process. */
    CAST(13),
    /** An info message to a process ({@code GenServer.send}). */
    SEND(14),
    /** Global registry: full or incremental table. */
    REGISTRY_SYNC(20),
    /** Start a registered behavior on the receiving node. */
    SPAWN_REQUEST(30),
    /** The spawned process's ref. */
    SPAWN_REPLY(31),
    /** Why a spawn failed. */
    SPAWN_ERROR(32),
    /** Monitor a process on the receiving node. */
    MONITOR_REQUEST(40),
    /** A monitor is in place (or the target did not exist). */
    MONITOR_ACK(41),
    /** Remove a monitor. */
    DEMONITOR(42),
    /** A monitored process exited. */
    PROCESS_DOWN(43),
    /** Add the remote half of a link. */
    LINK_REQUEST(50),
    /** The link is in place (or the target did not exist). */
    LINK_ACK(51),
    /** Remove a link. */
    UNLINK(52),
    /** A linked process exited. */
    EXIT_SIGNAL(53),
    /** Process control and introspection: stop, kill, isRunning, snapshots. */
    CONTROL_REQUEST(60),
    /** The answer to a CONTROL_REQUEST. */
    CONTROL_REPLY(61);

    private static final MessageType[] BY_CODE = new MessageType[128];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /** @return the code on the wire */
    public int code() {
        return code;
    }

    /**
     * @param code a code from the wire
     * @return its type, or null if unknown
     */
    public static MessageType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
