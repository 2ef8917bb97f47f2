package io.noex;

/**
 * Identifies one monitor, as returned by {@code GenServer.monitor} and carried in the {@link Down}
 * message it produces. Unique within the node that created it.
 *
 * @param id the monitor's number
 */
public record MonitorRef(long id) {

    @Override
    public String toString() {
        return "#Ref<" + id + ">";
    }
}
