package io.noex.testkit.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The seeded random script of the chaos suite: round after round, which faults to inject and for
 * how long. The same seed and node names give the same rounds, so a failing run can be repeated
 * (its timing, and so its outcome, can still differ).
 *
 * <p>Each round has one fault, and with probability {@value #SECOND_FAULT_PERCENT}% a second one
 * of another kind. Kinds and weights: kill -9 and restart 20, SIGSTOP 20, partition 20, link
 * delay 15 (50 to 800 ms), connection drop 15, target process stopped 10. At most two nodes are
 * killed or frozen in one round, never the same node twice, and a partition is combined only with
 * a delay or a stopped target (so every node a partition's check relies on is running). A round
 * holds its faults for 1.5 to 4 s.
 *
 * <p>Threading: not thread-safe.
 */
final class ChaosScript {

    static final int SECOND_FAULT_PERCENT = 30;

    /**
     * One round.
     *
     * @param faults what to inject, in order
     * @param hold how long to keep them before lifting them
     */
    record Round(List<Fault> faults, Duration hold) {
    }

    private final Random random;
    private final List<String> nodes;

    /**
     * @param seed the seed
     * @param nodes the node names, at least 3
     */
    ChaosScript(long seed, List<String> nodes) {
        if (nodes.size() < 3) {
            throw new IllegalArgumentException("the chaos script needs at least 3 nodes, got " + nodes);
        }
        this.random = new Random(seed);
        this.nodes = List.copyOf(nodes);
    }

    /** @return the next round */
    Round next() {
        List<Fault> faults = new ArrayList<>();
        faults.add(fault(faults));
        if (random.nextInt(100) < SECOND_FAULT_PERCENT) {
            Fault second = fault(faults);
            if (compatible(faults.get(0), second)) {
                faults.add(second);
            }
        }
        return new Round(List.copyOf(faults), Duration.ofMillis(1500 + random.nextInt(2501)));
    }

    private Fault fault(List<Fault> already) {
        int dice = random.nextInt(100);
        String node = pick(already);
        if (dice < 20) {
            return new Fault.Kill(node);
        }
        if (dice < 40) {
            return new Fault.Freeze(node);
        }
        if (dice < 60) {
            List<String> shuffled = new ArrayList<>(nodes);
            Collections.shuffle(shuffled, random);
            int cut = 1 + random.nextInt(shuffled.size() - 1);
            return new Fault.Partition(List.copyOf(shuffled.subList(0, cut)), List.copyOf(shuffled.subList(cut, shuffled.size())));
        }
        if (dice < 75) {
            String other = nodes.get(random.nextInt(nodes.size()));
            while (other.equals(node)) {
                other = nodes.get(random.nextInt(nodes.size()));
            }
            return new Fault.Delay(node, other, Duration.ofMillis(50 + random.nextInt(751)));
        }
        if (dice < 90) {
            return new Fault.Drop(node);
        }
        return new Fault.KillTarget(node);
    }

    /** A node no fault of this round touches yet, if there is one. */
    private String pick(List<Fault> already) {
        List<String> free = new ArrayList<>(nodes);
        for (Fault f : already) {
            free.removeAll(f.stopped());
            switch (f) {
                case Fault.Drop d -> free.remove(d.node());
                case Fault.KillTarget k -> free.remove(k.node());
                default -> { }
            }
        }
        List<String> from = free.isEmpty() ? nodes : free;
        return from.get(random.nextInt(from.size()));
    }

    private static boolean compatible(Fault first, Fault second) {
        if (first.getClass() == second.getClass()) {
            return false;
        }
        boolean partition = first instanceof Fault.Partition || second instanceof Fault.Partition;
        Fault other = first instanceof Fault.Partition ? second : first;
        return !partition || other instanceof Fault.Delay || other instanceof Fault.KillTarget;
    }
}
