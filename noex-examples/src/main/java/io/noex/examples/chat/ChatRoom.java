package io.noex.examples.chat;

import io.noex.CallResult;
import io.noex.Down;
import io.noex.GenServer;
import io.noex.GenServerBehavior;
import io.noex.GenServerRef;
import io.noex.MonitorRef;
import io.noex.Node;
import io.noex.UnknownMessageException;
import io.noex.distribution.BehaviorRegistry;
import io.noex.distribution.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat room: a GenServer that knows its members (each an {@link Inbox} process, on any node)
 * and forwards what one says to all of them. It monitors every member's inbox, so a member whose
 * process stops or whose node goes away is removed and the others are told why, with no timeout
 * or polling of its own. Every member receives the room's events in the same order, because they
 * all come from the room and messages from one process arrive in the order sent.
 * {@snippet :
 * GenServerRef lobby = RemoteSpawn.spawn(a, ChatRoom.BEHAVIOR, a.nodeId(), SpawnOptions.builder()
 *         .name("lobby").registration(Registration.GLOBAL).args("lobby").build()).ref();
 * ChatRoom.JoinReply reply = b.call(lobby, new ChatRoom.Join("alice", aliceInbox));
 * b.cast(lobby, new ChatRoom.Say("alice", "hi"));
 * }
 *
 * <p>Init arguments: the room's name (a {@code String}). Stateless (the state is the process's),
 * so one instance serves every room.
 */
public final class ChatRoom implements GenServerBehavior<ChatRoom.State> {

    /** The name the behavior is registered under, for {@code RemoteSpawn}. */
    public static final String BEHAVIOR = "chat-room";

    private static final ChatRoom INSTANCE = new ChatRoom();

    /** Call: joins {@code user}, whose events go to {@code inbox}; replies with a {@link JoinReply}. */
    public record Join(String user, GenServerRef inbox) {
    }

    /** Cast: {@code user} leaves the room. */
    public record Leave(String user) {
    }

    /** Cast: {@code user} says {@code text}; ignored unless {@code user} is a member. */
    public record Say(String user, String text) {
    }

    /** The reply to a {@link Join}. */
    public sealed interface JoinReply {
    }

    /** @param members everyone in the room, the new member last */
    public record Welcome(List<String> members) implements JoinReply {
    }

    /** @param user the name asked for, which a member already has: pick another */
    public record NameTaken(String user) implements JoinReply {
    }

    /** What a room sends to every member's inbox (as an info message). */
    public sealed interface Event {
    }

    /** @param user who joined */
    public record Arrived(String user) implements Event {
    }

    /**
     * @param user who said it
     * @param text what was said
     */
    public record Said(String user, String text) implements Event {
    }

    /**
     * @param user who left
     * @param why {@code left} when they asked, else how their inbox ended (e.g. {@code noconnection}
     *     when their node went away)
     */
    public record Departed(String user, String why) implements Event {
    }

    /** A member: where its events go, and the monitor on it. */
    record Member(GenServerRef inbox, MonitorRef monitor) {
    }

    /**
     * A room's state.
     *
     * @param name the room's name
     * @param members members by user name, in joining order
     */
    record State(String name, Map<String, Member> members) {
    }

    private ChatRoom() {
    }

    /** @return the behavior (one instance serves every room) */
    public static ChatRoom behavior() {
        return INSTANCE;
    }

    /**
     * Registers the behavior as {@value #BEHAVIOR} and every message type of the room and the inbox
     * on {@code node}. Do it on every node, before the node joins the cluster. Idempotent.
     *
     * @param node the node
     */
    public static void register(Node node) {
        Serialization.register(node, "noex.examples.chat.Join", Join.class);
        Serialization.register(node, "noex.examples.chat.Leave", Leave.class);
        Serialization.register(node, "noex.examples.chat.Say", Say.class);
        Serialization.register(node, "noex.examples.chat.Welcome", Welcome.class);
        Serialization.register(node, "noex.examples.chat.NameTaken", NameTaken.class);
        Serialization.register(node, "noex.examples.chat.Arrived", Arrived.class);
        Serialization.register(node, "noex.examples.chat.Said", Said.class);
        Serialization.register(node, "noex.examples.chat.Departed", Departed.class);
        BehaviorRegistry.register(node, BEHAVIOR, INSTANCE);
    }

    @Override
    public State init(List<Object> args) {
        String name = !args.isEmpty() && args.get(0) instanceof String s ? s : "room";
        return new State(name, Map.of());
    }

    @Override
    public CallResult<State> handleCall(Object msg, State state) {
        return switch (msg) {
            case Join join when state.members().containsKey(join.user()) ->
                    CallResult.reply(new NameTaken(join.user()), state);
            case Join join -> {
                // A monitor, not a link: the room must outlive any member, and learn why one went.
                Member member = new Member(join.inbox(), GenServer.monitor(join.inbox()));
                Map<String, Member> members = new LinkedHashMap<>(state.members());
                members.put(join.user(), member);
                State next = new State(state.name(), members);
                broadcast(next, new Arrived(join.user()));
                yield CallResult.reply(new Welcome(List.copyOf(members.keySet())), next);
            }
            default -> throw new UnknownMessageException(msg);
        };
    }

    @Override
    public State handleCast(Object msg, State state) {
        return switch (msg) {
            case Say say when state.members().containsKey(say.user()) -> {
                broadcast(state, new Said(say.user(), say.text()));
                yield state;
            }
            case Say say -> state; // not a member (perhaps just removed): nobody to speak for
            case Leave leave -> {
                Member member = state.members().get(leave.user());
                if (member == null) {
                    yield state;
                }
                GenServer.demonitor(member.monitor());
                yield without(state, leave.user(), "left");
            }
            default -> throw new UnknownMessageException(msg);
        };
    }

    @Override
    public State handleInfo(Object msg, State state) {
        if (msg instanceof Down down) {
            for (Map.Entry<String, Member> e : state.members().entrySet()) {
                if (e.getValue().monitor().equals(down.monitorRef())) {
                    return without(state, e.getKey(), down.reason().toString());
                }
            }
        }
        return state;
    }

    /** Removes {@code user} and tells the others (and the one who left, if they still listen). */
    private static State without(State state, String user, String why) {
        Map<String, Member> members = new LinkedHashMap<>(state.members());
        Member gone = members.remove(user);
        State next = new State(state.name(), members);
        Departed departed = new Departed(user, why);
        broadcast(next, departed);
        if ("left".equals(why)) {
            GenServer.send(gone.inbox(), departed);
        }
        return next;
    }

    /** Sends {@code event} to every member; to an unreachable node it is dropped, as in Erlang. */
    private static void broadcast(State state, Event event) {
        for (Member m : state.members().values()) {
            GenServer.send(m.inbox(), event);
        }
    }
}
