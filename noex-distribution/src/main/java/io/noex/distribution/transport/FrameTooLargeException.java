package io.noex.distribution.transport;

/**
 * A frame's length prefix exceeds the cap. Raised before any of it is allocated; the connection
 * that sent it is closed, nothing else is affected.
 */
public final class FrameTooLargeException extends ProtocolViolationException {

    private final long length;
    private final int cap;

    /**
     * @param length the length the prefix declared
     * @param cap the maximum frame size
     */
    public FrameTooLargeException(long length, int cap) {
        super(Reason.OVERSIZED_FRAME, "frame of " + length + " bytes exceeds the maximum of " + cap + " bytes");
        this.length = length;
        this.cap = cap;
    }

    /** @return the declared length */
    public long length() {
        return length;
    }

    /** @return the maximum frame size */
    public int cap() {
        return cap;
    }
}
