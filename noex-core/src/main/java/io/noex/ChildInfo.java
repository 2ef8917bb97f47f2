package io.noex;

import java.util.Optional;

/**
 * One child as its supervisor sees it ({@code Supervisor.whichChildren}).
 *
 * @param id the child's id (for {@code SIMPLE_ONE_FOR_ONE} children: their process id)
 * @param ref the running process, or empty if the child is not running
 * @param type worker or supervisor
 * @param restart its restart type
 * @param restartCount how many times this supervisor restarted it
 */
public record ChildInfo(String id, Optional<GenServerRef> ref, ChildSpec.Type type, RestartType restart, int restartCount) {
}
