package io.noex;

/**
 * Identifies a timer started by {@code GenServer.sendAfter}; pass it to
 * {@code GenServer.cancelTimer}.
 *
 * @param id the timer's number, unique within its node
 */
public record TimerRef(long id) {

    @Override
    public String toString() {
        return "#Timer<" + id + ">";
    }
}
