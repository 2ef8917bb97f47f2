package io.noex.examples.chat;

import io.noex.CallResult;
import io.noex.GenServerBehavior;
import io.noex.UnknownMessageException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A chat member's inbox: a GenServer on the member's own node that receives a room's
 * {@link ChatRoom.Event}s (as info messages), hands each to a listener (a screen, in a real
 * client) and keeps them, in arrival order, for {@link History}. The room monitors it: when the
 * inbox stops, or its node goes away, the member leaves the room.
 * {@snippet :
 * GenServerRef inbox = b.start(new Inbox(event -> System.out.println("alice sees " + event)));
 * b.call(lobby, new ChatRoom.Join("alice", inbox));
 * }
 *
 * <p>Started locally, with an instance of its own (it holds the listener), so it is not
 * registered for remote spawn. The listener runs on the inbox's process thread.
 */
public final class Inbox implements GenServerBehavior<List<ChatRoom.Event>> {

    /** Call: replies with every event received so far, oldest first (a {@code List<ChatRoom.Event>}). */
    public record History() {
    }

    private final Consumer<ChatRoom.Event> listener;

    /** @param listener told of each event as it arrives */
    public Inbox(Consumer<ChatRoom.Event> listener) {
        this.listener = listener;
    }

    @Override
    public List<ChatRoom.Event> init(List<Object> args) {
        return List.of();
    }

    @Override
    public CallResult<List<ChatRoom.Event>> handleCall(Object msg, List<ChatRoom.Event> seen) {
        return switch (msg) {
            case History h -> CallResult.reply(seen, seen);
            default -> throw new UnknownMessageException(msg);
        };
    }

    @Override
    public List<ChatRoom.Event> handleCast(Object msg, List<ChatRoom.Event> seen) {
        throw new UnknownMessageException(msg); // a room sends info messages, not casts
    }

    @Override
    public List<ChatRoom.Event> handleInfo(Object msg, List<ChatRoom.Event> seen) {
        if (!(msg instanceof ChatRoom.Event event)) {
            return seen;
        }
        listener.accept(event);
        List<ChatRoom.Event> next = new ArrayList<>(seen);
        next.add(event);
        return List.copyOf(next);
    }
}
