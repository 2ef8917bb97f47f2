package io.noex;

/** The addressed process does not exist (it never did, or it has exited). */
public class ServerNotRunningException extends NoexException {

    private final GenServerRef server;

    /** @param server the process that is not running */
    public ServerNotRunningException(GenServerRef server) {
        this(server, "GenServer " + server + " is not running");
    }

    /**
     * For subclasses that word the message differently.
     *
     * @param server the process that is not running
     * @param message the message
     */
    protected ServerNotRunningException(GenServerRef server, String message) {
        super(message);
        this.server = server;
    }

    /** @return the process that is not running */
    public GenServerRef server() {
        return server;
    }

    /** @return its id or name */
    public String serverId() {
        return server.id();
    }

    /** @return its node */
    public NodeId nodeId() {
        return server.nodeId();
    }
}
