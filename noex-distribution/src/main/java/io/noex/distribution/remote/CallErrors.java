package io.noex.distribution.remote;

import io.noex.GenServerRef;
import io.noex.NoexException;
import io.noex.ServerCrashedException;
import io.noex.ServerExitedException;
import io.noex.ServerNotRunningException;
import io.noex.UnknownMessageException;
import io.noex.distribution.MessageSerializationException;
import io.noex.distribution.RemoteCallException;
import io.noex.distribution.RemoteFailure;
import io.noex.distribution.RemoteServerNotRunningException;
import io.noex.distribution.serialization.ValueReader;
import io.noex.distribution.serialization.ValueWriter;
import java.io.IOException;
import java.util.List;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * How the failure of a call crosses the network: the serving node writes its kind, a message and
 * details; the calling node turns them into the exception SPEC 4.5 lists for that outcome.
 * <pre>
 *   kind              details                 caller gets
 *   not_running       -                       RemoteServerNotRunningException
 *   exited            -                       RemoteServerNotRunningException (exited before replying)
 *   crashed           the exception           RemoteCallException (remote class, message, stack)
 *   unknown_message   -                       UnknownMessageException (the caller's own message)
 *   serialization     [path, type]            MessageSerializationException
 *   error             the exception           RemoteCallException
 * </pre>
 */
final class CallErrors {

    private CallErrors() {
    }

    static void write(MessagePacker out, ValueWriter values, NoexException e) throws IOException {
        switch (e) {
            case ServerCrashedException c -> {
                out.packString("crashed").packString(String.valueOf(c.getMessage()));
                values.write("failure", c.getCause() != null ? c.getCause() : c);
            }
            case ServerExitedException x -> {
                out.packString("exited").packString("exited (" + x.reason() + ") before replying");
                out.packNil();
            }
            case ServerNotRunningException n -> {
                out.packString("not_running").packString("");
                out.packNil();
            }
            case UnknownMessageException u -> {
                out.packString("unknown_message").packString(String.valueOf(u.getMessage()));
                out.packNil();
            }
            case MessageSerializationException m -> {
                out.packString("serialization").packString(m.getMessage());
                out.packArrayHeader(2).packString(m.path()).packString(m.typeName());
            }
            default -> {
                out.packString("error").packString(String.valueOf(e.getMessage()));
                values.write("failure", e);
            }
        }
    }

    /**
     * @param target the called process
     * @param msg the caller's request
     * @return the caller-side exception for the error in {@code in}
     */
    static NoexException read(MessageUnpacker in, ValueReader values, GenServerRef target, Object msg) throws IOException {
        String kind = in.unpackString();
        String message = in.unpackString();
        Object details = values.read("error");
        return switch (kind) {
            case "not_running" -> new RemoteServerNotRunningException(target, message);
            case "exited" -> new RemoteServerNotRunningException(target, message);
            case "crashed", "error" -> new RemoteCallException(target, details instanceof RemoteFailure f ? f
                    : new RemoteFailure("unknown", message, List.of()));
            case "unknown_message" -> new UnknownMessageException(msg);
            case "serialization" -> {
                List<?> d = details instanceof List<?> l && l.size() == 2 ? l : List.of("reply", "?");
                String problem = message.contains(": ") ? message.substring(message.indexOf(": ") + 2) : message;
                yield new MessageSerializationException(String.valueOf(d.get(0)), String.valueOf(d.get(1)),
                        problem + " (reported by " + target.nodeId() + ")");
            }
            default -> new RemoteCallException(target, new RemoteFailure("unknown error kind " + kind, message, List.of()));
        };
    }
}
