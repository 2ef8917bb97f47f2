package io.noex.cli.cluster;

import io.noex.distribution.NodeInfo;
import io.noex.distribution.NodeSnapshot;
import io.noex.distribution.ObservedStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints a {@link StatusProbe.Snapshot} as {@code noex status} shows it: a heading, then one row
 * per member with its status, its own figures as it reported them to the
 * {@link io.noex.distribution.ClusterObserver} (processes, supervisors, messages handled, heap
 * used of its maximum), its uptime and the age of its latest heartbeat.
 * <pre>
 * 2 members, seen through a@127.0.0.1:4369 by probe noex-status-k3f9x2@127.0.0.1:39211
 *
 * NODE              STATUS     PROCESSES  SUPERVISORS  MESSAGES  HEAP         UPTIME  LAST HEARTBEAT
 * a@127.0.0.1:4369  connected          2            0       154  21/4096 MiB  3m 12s  0.1s ago
 * b@127.0.0.1:4370  connected          3            1        12  18/4096 MiB  1m 02s  0.4s ago
 * </pre>
 * STATUS is the observer's ({@code connected}, {@code disconnected}, {@code timeout}: it did not
 * answer in time, {@code error}: it answered with an error), or the membership's for a member
 * that was not asked. A value the probe did not receive is shown as {@code -}; the process count
 * then falls back to the member's latest heartbeat.
 */
public final class MemberTable {

    private static final String[] HEADINGS =
        {"NODE", "STATUS", "PROCESSES", "SUPERVISORS", "MESSAGES", "HEAP", "UPTIME", "LAST HEARTBEAT"};
    /** The columns printed right-aligned. */
    private static final java.util.Set<Integer> NUMBERS = java.util.Set.of(2, 3, 4);
    private static final long MIB = 1024 * 1024;

    private MemberTable() {
    }

    /**
     * @param s the snapshot
     * @param out where to print it
     */
    public static void print(StatusProbe.Snapshot s, PrintWriter out) {
        int n = s.members().size();
        out.println(n + (n == 1 ? " member" : " members") + ", seen through " + s.seed() + " by probe " + s.probe());
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADINGS);
        for (NodeInfo i : s.members()) {
            rows.add(row(i, s));
        }
        int[] width = new int[HEADINGS.length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < r.length; c++) {
                boolean number = NUMBERS.contains(c) && r != HEADINGS;
                String cell = number ? " ".repeat(width[c] - r[c].length()) + r[c] : r[c];
                line.append(cell);
                if (c < r.length - 1) {
                    line.append(" ".repeat(width[c] - cell.length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
        s.observed().values().stream().filter(o -> o.error().isPresent()).forEach(o ->
                out.println(o.nodeId() + ": " + o.error().get()));
        if (!s.complete()) {
            out.println();
            out.println("(incomplete: a member shown without a heartbeat did not answer the probe in time; "
                    + "it may be down or unreachable from here)");
        }
        out.flush();
    }

    private static String[] row(NodeInfo i, StatusProbe.Snapshot s) {
        boolean heard = i.lastHeartbeatAt().isPresent();
        String id = i.id() + (i.id().name().startsWith(ClusterNode.PROBE_PREFIX) ? " (another status probe)" : "");
        NodeSnapshot o = s.observed().get(i.id());
        boolean answered = o != null && o.status() == ObservedStatus.CONNECTED;
        return new String[] {
            id,
            (o != null ? o.status().name() : i.status().name()).toLowerCase(Locale.ROOT),
            answered ? Integer.toString(o.processes()) : heard ? Integer.toString(i.processCount()) : "-",
            answered ? Integer.toString(o.supervisors()) : "-",
            answered ? Long.toString(o.messagesHandled()) : "-",
            answered ? o.heapUsedBytes() / MIB + "/" + o.heapMaxBytes() / MIB + " MiB" : "-",
            heard ? Durations.uptime(i.uptime()) : "-",
            i.lastHeartbeatAt().map(t -> Durations.age(Duration.between(t, s.at())) + " ago").orElse("-")};
    }
}
