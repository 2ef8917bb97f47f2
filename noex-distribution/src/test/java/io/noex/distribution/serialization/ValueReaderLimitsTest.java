package io.noex.distribution.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.noex.NodeId;
import io.noex.distribution.AllocationMeter;
import io.noex.distribution.MessageSerializationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * A size declared inside a frame (a string, binary, extension, array or map length, a record's
 * component count, a failure's stack depth) is checked against the bytes actually in the frame
 * before anything is allocated for it, and nesting is bounded on every path (also through sets,
 * optionals, exit reasons and failures, which are extensions followed by more values). Allocation
 * is measured with the JVM's per-thread allocation counter: decoding a small frame that claims
 * gigabytes must allocate kilobytes, and a frame of real bytes at most a small multiple of its
 * size.
 */
@Timeout(60)
class ValueReaderLimitsTest {

    private static final NodeId SELF = NodeId.parse("fuzz@127.0.0.1:1");
    /** Generous for the decoder's own objects (unpacker buffers, the exception and its message). */
    private static final long SMALL = 64 * 1024;

    private final WireCodec codec = new WireCodec(new TypeRegistry(), r -> r);

    private static long allocatedBy(Runnable work) {
        return AllocationMeter.allocatedBy(work);
    }

    /** An envelope whose body is whatever {@code body} writes, raw. */
    private byte[] frame(Consumer<MessagePacker> body) {
        return codec.encode(MessageType.CAST, SELF, 1, (out, v) -> body.accept(out));
    }

    /** An envelope followed by raw bytes. */
    private byte[] frameThen(byte... raw) {
        byte[] head = frame(out -> { });
        byte[] f = java.util.Arrays.copyOf(head, head.length + raw.length);
        System.arraycopy(raw, 0, f, head.length, raw.length);
        return f;
    }

    private void assertRejectedCheaply(byte[] frame) {
        assertThatThrownBy(() -> readAll(frame)).isInstanceOf(MessageSerializationException.class);
        // Measured on the second decode, so that loading classes does not count.
        long allocated = allocatedBy(() -> {
            try {
                readAll(frame);
            } catch (MessageSerializationException expected) {
                // the one way to fail, asserted above
            }
        });
        assertThat(allocated).as("bytes allocated decoding a %d-byte frame", frame.length).isLessThan(SMALL);
    }

    private void readAll(byte[] frame) {
        WireCodec.Decoded d = codec.decode(frame);
        try {
            while (d.in().hasNext()) {
                d.values().read("msg");
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] u32(int marker, long n) {
        return new byte[] {(byte) marker, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    @Test
    void declaredLengthsOfGigabytes_inATinyFrame_areRejectedWithoutAllocatingThem() {
        assertRejectedCheaply(frameThen(u32(0xdb, 0x7fff_fff0L)));          // str32
        assertRejectedCheaply(frameThen(u32(0xdb, 0xffff_ffffL)));          // str32 over 2^31
        assertRejectedCheaply(frameThen(u32(0xc6, 0x7fff_fff0L)));          // bin32
        assertRejectedCheaply(frameThen(u32(0xdd, 0x7fff_fff0L)));          // array32
        assertRejectedCheaply(frameThen(u32(0xdd, 0xffff_ffffL)));          // array32 over 2^31
        assertRejectedCheaply(frameThen(u32(0xdf, 0x7fff_fff0L)));          // map32
        byte[] ext32 = u32(0xc9, 0x7fff_fff0L);
        assertRejectedCheaply(frameThen(java.util.Arrays.copyOf(ext32, 6)));        // ext32 (type 0) payload
        byte[] bigInt = java.util.Arrays.copyOf(ext32, 6);
        bigInt[5] = ExtType.BIG_INTEGER;
        assertRejectedCheaply(frameThen(bigInt));
    }

    @Test
    void declaredCountsInsideExtensions_areRejectedWithoutAllocatingThem() {
        // a record: ext(RECORD, 0), its name, then an array header claiming 2^31-16 components
        assertRejectedCheaply(frame(out -> {
            try {
                out.packExtensionTypeHeader(ExtType.RECORD, 0);
                out.packString("noex.Down");
                out.packArrayHeader(0x7fff_fff0);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }));
        // a failure whose stack claims 2^31-16 elements
        assertRejectedCheaply(frame(out -> {
            try {
                out.packExtensionTypeHeader(ExtType.FAILURE, 0);
                out.packString("java.lang.Error");
                out.packNil();
                out.packArrayHeader(0x7fff_fff0);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }));
        // an enum whose name claims 2 GB
        assertRejectedCheaply(frame(out -> {
            try {
                out.packExtensionTypeHeader(ExtType.ENUM, 0);
                out.packRawStringHeader(0x7fff_fff0);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }));
    }

    @Test
    void anEnvelopeClaimingHugeFields_isRejectedWithoutAllocatingThem() throws IOException {
        // [4 fields: version, type, sender as a str32 of 2 GB ...]
        assertThatThrownBy(() -> codec.decode(header(p -> p.packRawStringHeader(0x7fff_fff0))))
                .isInstanceOf(MessageSerializationException.class);
        assertThat(allocatedBy(() -> {
            try {
                codec.decode(header(p -> p.packRawStringHeader(0x7fff_fff0)));
            } catch (MessageSerializationException expected) {
                // measured below
            }
        })).isLessThan(SMALL);
        // an envelope header claiming 2^31-16 fields: the extra ones are skipped, and run out
        byte[] many = new byte[] {(byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 1, 1};
        assertThatThrownBy(() -> codec.decode(many)).isInstanceOf(MessageSerializationException.class);
        assertThat(allocatedBy(() -> {
            try {
                codec.decode(many);
            } catch (MessageSerializationException expected) {
                // asserted above
            }
        })).isLessThan(SMALL);
    }

    private interface Packing {
        void pack(MessagePacker p) throws IOException;
    }

    private static byte[] header(Packing sender) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packArrayHeader(4).packInt(1).packInt(MessageType.CAST.code());
            sender.pack(p);
            return p.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The largest count the frame's bytes allow is accepted, but what is allocated up front for
     * it must not be a multiple of the frame: a map of a million entries that are all the same
     * key (nil, nil) decodes to one entry, and may not cost a table for a million.
     */
    @Test
    void aCollectionOfTheLargestCountTheFrameAllows_preallocatesNoMoreThanItsBytes() {
        int n = 1_000_000;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] mapHeader = u32(0xdf, n);
        body.write(mapHeader, 0, mapHeader.length);
        for (int i = 0; i < n; i++) {
            body.write(0xc0); // nil key
            body.write(0xc0); // nil value
        }
        byte[] mapFrame = frameThen(body.toByteArray());
        long mapAllocated = allocatedBy(() -> assertThat(codec.decode(mapFrame).values().read("msg"))
                .isInstanceOfSatisfying(Map.class, m -> assertThat(m).hasSize(1)));
        assertThat(mapAllocated).as("allocated decoding a %d-byte map frame", mapFrame.length)
                .isLessThan(mapFrame.length + SMALL);

        // An array of a million nils: the list holds a million references, which is what the bytes
        // say (4 or 8 bytes each); the up-front allocation must not add another copy of that.
        ByteArrayOutputStream arr = new ByteArrayOutputStream();
        byte[] arrayHeader = u32(0xdd, n);
        arr.write(arrayHeader, 0, arrayHeader.length);
        for (int i = 0; i < n; i++) {
            arr.write(0xc0);
        }
        byte[] arrayFrame = frameThen(arr.toByteArray());
        long arrayAllocated = allocatedBy(() -> assertThat(codec.decode(arrayFrame).values().read("msg"))
                .isInstanceOfSatisfying(List.class, l -> assertThat(l).hasSize(n)));
        // ArrayList growth from a small start: about 1.5x the final array in total, 8 bytes a
        // reference at worst.
        assertThat(arrayAllocated).isLessThan(3L * 8 * n + SMALL);
    }

    /**
     * Extensions followed by more values (set, optional, exit reason, failure) nested inside each
     * other must hit the nesting limit (or a type check) with a serialization error, not recurse
     * until the stack overflows: a 3-byte extension header per level would let a 16 MiB frame
     * nest five million deep.
     */
    @Test
    void deeplyNestedExtensions_failWithASerializationError_notAStackOverflow() {
        for (byte type : new byte[] {ExtType.SET, ExtType.OPTIONAL}) {
            ByteArrayOutputStream deep = new ByteArrayOutputStream();
            for (int i = 0; i < 200_000; i++) {
                deep.write(0xc7); // ext8
                deep.write(0);    // empty payload
                deep.write(type);
            }
            deep.write(0x90); // an empty array at the bottom
            byte[] f = frameThen(deep.toByteArray());
            assertThatThrownBy(() -> readAll(f)).as("ext type %d", type).isInstanceOf(MessageSerializationException.class);
        }
        // exit reason "error" whose cause is again an exit reason, and so on
        ByteArrayOutputStream exits = new ByteArrayOutputStream();
        for (int i = 0; i < 100_000; i++) {
            exits.writeBytes(new byte[] {(byte) 0xc7, 0, ExtType.EXIT_REASON, (byte) 0xa5, 'e', 'r', 'r', 'o', 'r', (byte) 0xa0});
        }
        byte[] exitFrame = frameThen(exits.toByteArray());
        assertThatThrownBy(() -> readAll(exitFrame)).isInstanceOf(MessageSerializationException.class);
        // a failure whose message is again a failure, and so on
        ByteArrayOutputStream failures = new ByteArrayOutputStream();
        for (int i = 0; i < 100_000; i++) {
            failures.writeBytes(new byte[] {(byte) 0xc7, 0, ExtType.FAILURE, (byte) 0xa1, 'E'});
        }
        byte[] failureFrame = frameThen(failures.toByteArray());
        assertThatThrownBy(() -> readAll(failureFrame)).isInstanceOf(MessageSerializationException.class);
    }

    @Test
    void legitimateNestingUpToTheWritersLimit_stillReadsBack() {
        Object v = List.of();
        for (int i = 0; i < ValueWriter.MAX_DEPTH - 1; i++) {
            v = i % 3 == 0 ? java.util.Set.of(v) : i % 3 == 1 ? java.util.Optional.of(v) : List.of(v);
        }
        Object value = v;
        byte[] f = codec.encode(MessageType.CAST, SELF, 1, (out, w) -> w.write("msg", value));
        assertThat(codec.decode(f).values().read("msg")).isEqualTo(value);
    }
}
