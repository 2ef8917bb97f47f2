package io.noex;

/**
 * The called process crashed while handling this very call: its {@code handleCall} threw (the
 * exception is the cause) or returned a bad value. The process has exited with reason
 * {@code error}; links, monitors and supervisors have been told.
 */
public class ServerCrashedException extends ServerExitedException {

    /**
     * @param server the called process
     * @param reason the error reason it exited with
     * @param cause what {@code handleCall} threw, or null for a bad return value
     */
    public ServerCrashedException(GenServerRef server, ExitReason reason, Throwable cause) {
        super(server, reason, "GenServer " + server + " crashed handling the call: " + describe(reason), cause);
    }

    private static String describe(ExitReason reason) {
        return reason instanceof ExitReason.Error e ? e.message() : reason.toString();
    }
}
