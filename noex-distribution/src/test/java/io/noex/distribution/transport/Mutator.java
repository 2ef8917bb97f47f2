package io.noex.distribution.transport;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random edits of a byte array, the way a mutation fuzzer breaks valid frames: bit flips, random
 * and "interesting" bytes (MessagePack markers, 0, 0x7f, 0xff), insertions, deletions,
 * truncation, appended junk, a duplicated chunk, and a MessagePack header claiming a huge size
 * written over the middle. Every result differs from its input.
 */
final class Mutator {

    /** MessagePack markers and boundary values: nil, bool, bin/str/ext/array/map headers, ints. */
    private static final byte[] INTERESTING = {
        0, 1, 0x7f, (byte) 0x80, (byte) 0xff, (byte) 0xc0, (byte) 0xc1, (byte) 0xc2, (byte) 0xc3, (byte) 0xc4,
        (byte) 0xc6, (byte) 0xc7, (byte) 0xc9, (byte) 0xcf, (byte) 0xd3, (byte) 0xd4, (byte) 0xd8, (byte) 0xd9,
        (byte) 0xdb, (byte) 0xdc, (byte) 0xdd, (byte) 0xde, (byte) 0xdf, (byte) 0x90, (byte) 0x9f, (byte) 0x8f,
        (byte) 0xa0, (byte) 0xbf, (byte) 0xe0, 6, 12, 13, 16, 17, 18
    };

    /** 32-bit size headers: str32, bin32, array32, map32, ext32. */
    private static final byte[] SIZE32 = {(byte) 0xdb, (byte) 0xc6, (byte) 0xdd, (byte) 0xdf, (byte) 0xc9};

    private Mutator() {
    }

    /**
     * @param in the bytes to break (not modified)
     * @param r the randomness
     * @param edits how many edits to apply, at least 1
     * @return a mutated copy, never equal to {@code in}
     */
    static byte[] mutate(byte[] in, SplittableRandom r, int edits) {
        byte[] b = in.clone();
        for (int i = 0; i < edits; i++) {
            b = edit(b, r);
        }
        if (Arrays.equals(b, in)) {
            b = Arrays.copyOf(in, in.length + 1);
            b[in.length] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static byte[] edit(byte[] b, SplittableRandom r) {
        if (b.length == 0) {
            return new byte[] {(byte) r.nextInt(256)};
        }
        int at = r.nextInt(b.length);
        switch (r.nextInt(9)) {
            case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
            case 1 -> b[at] = (byte) r.nextInt(256);
            case 2 -> b[at] = INTERESTING[r.nextInt(INTERESTING.length)];
            case 3 -> {
                byte[] out = new byte[b.length + 1];
                System.arraycopy(b, 0, out, 0, at);
                out[at] = (byte) r.nextInt(256);
                System.arraycopy(b, at, out, at + 1, b.length - at);
                return out;
            }
            case 4 -> {
                byte[] out = new byte[b.length - 1];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + 1, out, at, b.length - at - 1);
                return out;
            }
            case 5 -> {
                return Arrays.copyOf(b, at);
            }
            case 6 -> {
                byte[] out = Arrays.copyOf(b, b.length + 1 + r.nextInt(16));
                for (int i = b.length; i < out.length; i++) {
                    out[i] = (byte) r.nextInt(256);
                }
                return out;
            }
            case 7 -> {
                int len = 1 + r.nextInt(Math.min(32, b.length - at));
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at + len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                return out;
            }
            default -> {
                // a header claiming a huge size (up to 4 GiB) over whatever was here
                long size = r.nextBoolean() ? 0xffff_ffffL - r.nextInt(1024) : 1L << (10 + r.nextInt(22));
                byte[] header = {SIZE32[r.nextInt(SIZE32.length)], (byte) (size >>> 24), (byte) (size >>> 16),
                    (byte) (size >>> 8), (byte) size};
                byte[] out = b.length >= at + header.length ? b : Arrays.copyOf(b, at + header.length);
                System.arraycopy(header, 0, out, at, header.length);
                return out;
            }
        }
        return b;
    }
}
