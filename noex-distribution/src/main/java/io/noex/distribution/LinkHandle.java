package io.noex.distribution;

import io.noex.GenServerRef;
import io.noex.Node;

/** A link set up with {@link RemoteLink#link}; remove it with {@link #unlink()}. */
public final class LinkHandle {

    private final Node node;
    private final GenServerRef local;
    private final GenServerRef remote;

    LinkHandle(Node node, GenServerRef local, GenServerRef remote) {
        this.node = node;
        this.local = local;
        this.remote = remote;
    }

    /** @return the local side */
    public GenServerRef local() {
        return local;
    }

    /** @return the remote side */
    public GenServerRef remote() {
        return remote;
    }

    /** Removes the link; neither side receives the other's exit through it afterwards. */
    public void unlink() {
        node.unlink(local, remote);
    }
}
