package io.noex.examples.chat;

import io.noex.GenServerRef;
import io.noex.Node;
import io.noex.distribution.GlobalNames;
import io.noex.distribution.Registration;
import io.noex.distribution.RemoteSpawn;
import io.noex.distribution.SpawnOptions;
import io.noex.examples.ExampleBehaviors;
import io.noex.examples.ExampleCluster;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A chat room across three nodes. Run it with {@code bin/noex example chat}.
 *
 * <ol>
 *   <li>node a spawns a {@link ChatRoom} on itself, registered globally as {@value #ROOM};</li>
 *   <li>alice on node b and bob on node c each start an {@link Inbox} on their own node, find the
 *       room by its global name and join; both then speak;</li>
 *   <li>node c leaves the cluster: the room's monitor on bob's inbox fires with
 *       {@code noconnection}, and alice is told that bob left, and why.</li>
 * </ol>
 * Each inbox prints what its member sees, prefixed with the member's node.
 */
public final class ChatExample {

    /** The room's global name. */
    public static final String ROOM = "lobby";

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * What the program saw.
     *
     * @param room the room process
     * @param alice everything alice's inbox received, in order
     * @param bob everything bob's inbox received before bob's node left, in order
     */
    public record Result(GenServerRef room, List<ChatRoom.Event> alice, List<ChatRoom.Event> bob) {
    }

    private ChatExample() {
    }

    /**
     * Runs the program on three nodes in this JVM ({@link ExampleCluster}), printing to stdout.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        play(System.out);
    }

    /**
     * Runs the program on three nodes in this JVM ({@link ExampleCluster}), stopped at the end.
     *
     * @param out where to say what happens
     * @return what the members saw
     */
    public static Result play(PrintStream out) {
        try (ExampleCluster cluster = ExampleCluster.start(List.of("a", "b", "c"), ExampleBehaviors::registerAll)) {
            return run(cluster.node(0), cluster.node(1), cluster.node(2), () -> cluster.stop(2), out);
        }
    }

    /**
     * Plays the example.
     *
     * @param a hosts the room
     * @param b alice's node
     * @param c bob's node
     * @param stopC makes node c leave the cluster
     * @param out where to say what happens
     * @return what the members saw
     */
    public static Result run(Node a, Node b, Node c, Runnable stopC, PrintStream out) {
        GenServerRef room = RemoteSpawn.spawn(a, ChatRoom.BEHAVIOR, a.nodeId(), SpawnOptions.builder()
                .name(ROOM).registration(Registration.GLOBAL).args(ROOM).build()).ref();
        out.println(a.name() + ": started chat room " + room.id() + ", registered globally as '" + ROOM + "'");

        GenServerRef alice = join(b, "alice", out);
        GenServerRef bob = join(c, "bob", out);

        GenServerRef lobbyOnB = GlobalNames.of(b).lookup(ROOM);
        GenServerRef lobbyOnC = GlobalNames.of(c).lookup(ROOM);
        b.cast(lobbyOnB, new ChatRoom.Say("alice", "hi bob, alice here, on node b"));
        awaitEvent(c, bob, new ChatRoom.Said("alice", "hi bob, alice here, on node b"));
        ChatRoom.Said reply = new ChatRoom.Said("bob", "hello alice! bob on node c");
        c.cast(lobbyOnC, new ChatRoom.Say(reply.user(), reply.text()));
        awaitEvent(b, alice, reply);
        awaitEvent(c, bob, reply);
        List<ChatRoom.Event> bobSaw = history(c, bob);

        out.println(c.name() + ": leaving the cluster (bob's inbox goes with it)");
        stopC.run();
        awaitEvent(b, alice, new ChatRoom.Departed("bob", "noconnection"));
        return new Result(room, history(b, alice), bobSaw);
    }

    /** Starts {@code user}'s inbox on {@code node}, finds the room by name and joins it. */
    private static GenServerRef join(Node node, String user, PrintStream out) {
        String screen = "  [" + node.name() + "] " + user + " sees: ";
        GenServerRef inbox = node.start(new Inbox(event -> out.println(screen + describe(event))));
        GenServerRef lobby = ExampleCluster.await(node.name() + " to learn the name '" + ROOM + "'", TIMEOUT,
                () -> GlobalNames.of(node).whereis(ROOM));
        ChatRoom.JoinReply reply = node.call(lobby, new ChatRoom.Join(user, inbox));
        switch (reply) {
            case ChatRoom.Welcome w -> out.println(node.name() + ": " + user + " joined; members " + w.members());
            case ChatRoom.NameTaken t -> throw new IllegalStateException("the name " + t.user() + " is taken");
        }
        return inbox;
    }

    private static void awaitEvent(Node node, GenServerRef inbox, ChatRoom.Event event) {
        ExampleCluster.await("the inbox on " + node.name() + " to receive " + event, TIMEOUT,
                () -> history(node, inbox).contains(event) ? Optional.of(true) : Optional.empty());
    }

    private static List<ChatRoom.Event> history(Node node, GenServerRef inbox) {
        return node.call(inbox, new Inbox.History());
    }

    /** @return the event as a chat client would show it */
    static String describe(ChatRoom.Event event) {
        return switch (event) {
            case ChatRoom.Arrived a -> "* " + a.user() + " joined";
            case ChatRoom.Said s -> s.user() + ": " + s.text();
            case ChatRoom.Departed d -> "* " + d.user() + " left (" + d.why() + ")";
        };
    }
}
