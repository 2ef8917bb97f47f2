package io.noex;

import io.noex.spi.DownListener;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The signals one process takes part in: monitors on it, monitors it holds, its links and its
 * pending timers. Each collection is allocated on first use, so an idle process with none of them
 * costs nothing here (a million idle processes must fit in a gigabyte).
 *
 * <p>Threading: guarded by the owning {@link ServerProcess}'s monitor lock; never escapes it. No
 * lock is held while calling out (listeners run after the table has been detached).
 */
final class SignalTable {

    Map<MonitorRef, DownListener> watchers;
    Map<MonitorRef, GenServerRef> held;
    Set<GenServerRef> links;
    Set<Long> timers;

    boolean addWatcher(MonitorRef ref, DownListener listener) {
        if (watchers == null) {
            watchers = new HashMap<>(4);
        }
        return watchers.put(ref, listener) == null;
    }

    boolean removeWatcher(MonitorRef ref) {
        return watchers != null && watchers.remove(ref) != null;
    }

    void addHeld(MonitorRef ref, GenServerRef target) {
        if (held == null) {
            held = new HashMap<>(4);
        }
        held.put(ref, target);
    }

    GenServerRef removeHeld(MonitorRef ref) {
        return held == null ? null : held.remove(ref);
    }

    boolean addLink(GenServerRef other) {
        if (links == null) {
            links = new HashSet<>(4);
        }
        return links.add(other);
    }

    boolean removeLink(GenServerRef other) {
        return links != null && links.remove(other);
    }

    void addTimer(long id) {
        if (timers == null) {
            timers = new HashSet<>(4);
        }
        timers.add(id);
    }

    void removeTimer(long id) {
        if (timers != null) {
            timers.remove(id);
        }
    }

    int watcherCount() {
        return watchers == null ? 0 : watchers.size();
    }

    int heldCount() {
        return held == null ? 0 : held.size();
    }

    int linkCount() {
        return links == null ? 0 : links.size();
    }
}
