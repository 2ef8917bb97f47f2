package io.noex;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a process exited, as in Erlang. Delivered to {@link GenServerBehavior#terminate}, to
 * monitors ({@link Down}) and to linked processes that trap exits ({@link Exit}).
 *
 * <ul>
 *   <li>{@link Normal}: the process finished its job ({@code GenServer.stop(ref)}). Linked
 *       processes are not affected; transient children are not restarted.</li>
 *   <li>{@link Shutdown}: its supervisor or owner asked it to stop. Linked processes that do not
 *       trap exits die with it; transient children are not restarted.</li>
 *   <li>{@link Error}: a callback threw, or a supervisor gave up. Logged as a crash report;
 *       linked processes that do not trap exits die with it.</li>
 *   <li>{@link Killed}: killed without a chance to clean up ({@code terminate} does not run).</li>
 *   <li>{@link Noproc}: the process did not exist when a monitor or link was set up.</li>
 *   <li>{@link Noconnection}: the node hosting the process became unreachable.</li>
 * </ul>
 */
public sealed interface ExitReason {

    /** @return true for {@link Normal} and {@link Shutdown}: exits that are not failures */
    default boolean isNormalOrShutdown() {
        return this instanceof Normal || this instanceof Shutdown;
    }

    /** @return the reason {@code normal} */
    static ExitReason normal() {
        return Normal.INSTANCE;
    }

    /** @return the reason {@code shutdown} */
    static ExitReason shutdown() {
        return Shutdown.INSTANCE;
    }

    /**
     * @param message what failed
     * @return an {@code error} reason without a cause
     */
    static ExitReason error(String message) {
        return new Error(message, Optional.empty());
    }

    /**
     * @param message what failed
     * @param cause the exception behind it
     * @return an {@code error} reason
     */
    static ExitReason error(String message, Throwable cause) {
        return new Error(message, Optional.of(cause));
    }

    /**
     * @param cause the exception a callback threw
     * @return an {@code error} reason whose message is the exception's class and message
     */
    static ExitReason error(Throwable cause) {
        return new Error(describe(cause), Optional.of(cause));
    }

    /** @return the reason {@code killed} */
    static ExitReason killed() {
        return Killed.INSTANCE;
    }

    /** @return the reason {@code noproc} */
    static ExitReason noproc() {
        return Noproc.INSTANCE;
    }

    /** @return the reason {@code noconnection} */
    static ExitReason noconnection() {
        return Noconnection.INSTANCE;
    }

    /** The process finished normally. */
    record Normal() implements ExitReason {
        static final Normal INSTANCE = new Normal();

        @Override
        public String toString() {
            return "normal";
        }
    }

    /** The process was asked to stop by its supervisor or owner. */
    record Shutdown() implements ExitReason {
        static final Shutdown INSTANCE = new Shutdown();

        @Override
        public String toString() {
            return "shutdown";
        }
    }

    /**
     * The process failed.
     *
     * @param message what failed, for people
     * @param cause the exception behind it, when there is one
     */
    record Error(String message, Optional<Throwable> cause) implements ExitReason {
        /** @throws NullPointerException if a component is null */
        public Error {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(cause, "cause");
        }

        @Override
        public String toString() {
            return "error: " + message;
        }
    }

    /** The process was killed and did not run {@code terminate}. */
    record Killed() implements ExitReason {
        static final Killed INSTANCE = new Killed();

        @Override
        public String toString() {
            return "killed";
        }
    }

    /** The process did not exist. */
    record Noproc() implements ExitReason {
        static final Noproc INSTANCE = new Noproc();

        @Override
        public String toString() {
            return "noproc";
        }
    }

    /** The node hosting the process became unreachable. */
    record Noconnection() implements ExitReason {
        static final Noconnection INSTANCE = new Noconnection();

        @Override
        public String toString() {
            return "noconnection";
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getName() : t.getClass().getName() + ": " + m;
    }
}
