package io.noex.distribution;

import io.noex.GenServerRef;
import io.noex.NodeId;
import java.util.Optional;

/**
 * One child as its distributed supervisor sees it.
 *
 * @param id the child's id
 * @param ref its running process, or empty if it is not running (being restarted, or terminated)
 * @param nodeId the node it runs on (or last ran on)
 * @param restartCount how many times the supervisor restarted or migrated it
 */
public record DistributedChildInfo(String id, Optional<GenServerRef> ref, NodeId nodeId, int restartCount) {
}
