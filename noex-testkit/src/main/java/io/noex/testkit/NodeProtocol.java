package io.noex.testkit;

/**
 * The line protocol between {@link JvmCluster} (parent) and {@link NodeMain} (child), in one place
 * so the two ends cannot drift apart. Every line the parent reads starts with one of the prefixes
 * below; anything else on the child's stdout is kept only for failure messages.
 *
 * <p>Threading: constants only.
 */
final class NodeProtocol {

    private NodeProtocol() {
    }

    // ---------------------------------------------------------------- child -> parent (stdout)

    /** {@code NOEX-NODE-UP <nodeId> <incarnation>}: the cluster runs. */
    static final String NODE_UP = "NOEX-NODE-UP";
    /** {@code NOEX-NODE-FAILED <why>}: the node could not start; the child exits with 1 or 2. */
    static final String NODE_FAILED = "NOEX-NODE-FAILED";
    /** {@code NOEX-EVENT up <nodeId> <incarnation>} or {@code NOEX-EVENT down <nodeId> <REASON>}. */
    static final String EVENT = "NOEX-EVENT";
    /** {@code NOEX-NODES <nodeId>...}: the answer to {@link #CMD_NODES}. */
    static final String NODES = "NOEX-NODES";
    /** {@code NOEX-STOPPED}: the cluster was stopped gracefully; the child exits with 0. */
    static final String STOPPED = "NOEX-STOPPED";
    /** {@code NOEX-REPLY <answer>}: the setup's answer to a {@link #CMD_RUN}. */
    static final String REPLY = "NOEX-REPLY";
    /** {@code NOEX-RUN-FAILED <why>}: the setup threw on a {@link #CMD_RUN}. */
    static final String RUN_FAILED = "NOEX-RUN-FAILED";
    /** {@code NOEX-ERROR <what>}: a command was not understood. */
    static final String ERROR = "NOEX-ERROR";

    // ---------------------------------------------------------------- parent -> child (stdin)

    /** Stop the cluster gracefully (peers see GRACEFUL_SHUTDOWN), then exit 0. */
    static final String CMD_STOP = "stop";
    /** Exit at once with 0, without telling peers (they see the connection close). */
    static final String CMD_EXIT = "exit";
    /** Print {@link #NODES} with the connected nodes. */
    static final String CMD_NODES = "nodes";
    /** {@code run <line>}: pass the line to the {@link JvmNodeSetup}; it answers {@link #REPLY} or {@link #RUN_FAILED}. */
    static final String CMD_RUN = "run ";

    // ---------------------------------------------------------------- arguments

    static final String ARG_NAME = "--name";
    static final String ARG_HOST = "--host";
    static final String ARG_ADVERTISED_HOST = "--advertised-host";
    static final String ARG_PORT = "--port";
    static final String ARG_SEEDS = "--seeds";
    static final String ARG_HEARTBEAT_INTERVAL_MS = "--heartbeat-interval-ms";
    static final String ARG_HEARTBEAT_MISS_THRESHOLD = "--heartbeat-miss-threshold";
    static final String ARG_RECONNECT_BASE_DELAY_MS = "--reconnect-base-delay-ms";
    static final String ARG_RECONNECT_MAX_DELAY_MS = "--reconnect-max-delay-ms";
    static final String ARG_DOWN_NODE_RETENTION_MS = "--down-node-retention-ms";
    /** TLS: this node's certificate chain (PEM); with the two below. */
    static final String ARG_TLS_CERTIFICATE_CHAIN = "--tls-certificate-chain";
    /** TLS: this node's unencrypted PKCS#8 private key (PEM). */
    static final String ARG_TLS_PRIVATE_KEY = "--tls-private-key";
    /** TLS: the CA certificates to trust (PEM). */
    static final String ARG_TLS_TRUSTED_CERTIFICATES = "--tls-trusted-certificates";
    /** The {@link JvmNodeSetup} class to run in the child. */
    static final String ARG_SETUP = "--setup";
    /** The cluster secret travels in the environment, not on the command line, where {@code ps} shows it. */
    static final String ENV_SECRET = "NOEX_CLUSTER_SECRET";
}
