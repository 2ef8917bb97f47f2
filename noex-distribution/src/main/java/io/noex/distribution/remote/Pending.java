package io.noex.distribution.remote;

import io.noex.NoexException;
import io.noex.NodeId;

/**
 * A request sent to another node and not yet answered: a call, a spawn, a control operation. It
 * ends exactly once: with its answer, its timeout, or the loss of the connection it was sent on.
 */
interface Pending {

    /** @return the node the request went to */
    NodeId node();

    /** @return the incarnation of the node's connection the request went on */
    long incarnation();

    /**
     * Ends the request with its answer.
     *
     * @param value the answer (may be null)
     */
    void answer(Object value);

    /**
     * Ends the request with a failure (its node went down, the cluster stopped).
     *
     * @param error why
     */
    void fail(NoexException error);
}
