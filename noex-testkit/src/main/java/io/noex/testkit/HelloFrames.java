package io.noex.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads the dialing node's NodeId out of the first frame of a noex connection, without a
 * MessagePack library: the frame is a 4-byte big-endian length, then the MessagePack array
 * {@code ["hello", version:int, nodeId:string, incarnation:long, nonce:bin16, secured:bool]}
 * (noex-distribution's handshake, SPEC 4.3). Only the array header, the tag, the version and the
 * NodeId are read; anything else is "not a hello".
 *
 * <p>Threading: stateless; any thread.
 */
final class HelloFrames {

    /** A hello is well under this (the handshake's own cap is 1 KiB); a larger length is not one. */
    static final int MAX_HELLO = 4096;

    private HelloFrames() {
    }

    /**
     * @param bytes the first bytes of a connection
     * @param length how many of them are valid
     * @return the frame's payload length if at least the 4-byte prefix is there and plausible for a
     *     hello; -1 if the prefix is there but cannot be a hello; 0 if fewer than 4 bytes
     */
    static int frameLength(byte[] bytes, int length) {
        if (length < 4) {
            return 0;
        }
        int n = ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        return n < 1 || n > MAX_HELLO ? -1 : n;
    }

    /**
     * @param bytes a buffer holding a whole frame (prefix included) at its start
     * @param frameLength the payload length from {@link #frameLength}
     * @return the NodeId string of a hello, or empty if the frame is not one
     */
    static Optional<String> nodeId(byte[] bytes, int frameLength) {
        Cursor c = new Cursor(bytes, 4, 4 + frameLength);
        try {
            if (c.arrayHeader() < 3 || !"hello".equals(c.string())) {
                return Optional.empty();
            }
            c.skipInteger();
            return Optional.of(c.string());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A read position in a MessagePack buffer; every read checks the bounds. */
    private static final class Cursor {
        private final byte[] b;
        private int pos;
        private final int end;

        Cursor(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        private int u8() {
            if (pos >= end) {
                throw new IllegalArgumentException("truncated");
            }
            return b[pos++] & 0xff;
        }

        private long unsigned(int bytes) {
            long v = 0;
            for (int i = 0; i < bytes; i++) {
                v = (v << 8) | u8();
            }
            return v;
        }

        long arrayHeader() {
            int t = u8();
            if (t >= 0x90 && t <= 0x9f) {
                return t & 0x0f;
            }
            return switch (t) {
                case 0xdc -> unsigned(2);
                case 0xdd -> unsigned(4);
                default -> throw new IllegalArgumentException("not an array");
            };
        }

        String string() {
            int t = u8();
            long n;
            if (t >= 0xa0 && t <= 0xbf) {
                n = t & 0x1f;
            } else {
                n = switch (t) {
                    case 0xd9 -> unsigned(1);
                    case 0xda -> unsigned(2);
                    case 0xdb -> unsigned(4);
                    default -> throw new IllegalArgumentException("not a string");
                };
            }
            if (n > end - pos) {
                throw new IllegalArgumentException("truncated");
            }
            String s = new String(b, pos, (int) n, StandardCharsets.UTF_8);
            pos += (int) n;
            return s;
        }

        void skipInteger() {
            int t = u8();
            if (t <= 0x7f || t >= 0xe0) {
                return;
            }
            switch (t) {
                case 0xcc, 0xd0 -> unsigned(1);
                case 0xcd, 0xd1 -> unsigned(2);
                case 0xce, 0xd2 -> unsigned(4);
                case 0xcf, 0xd3 -> unsigned(8);
                default -> throw new IllegalArgumentException("not an integer");
            }
        }
    }
}
