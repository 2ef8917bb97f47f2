package io.noex.distribution.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import io.noex.NodeId;
import io.noex.distribution.MessageSerializationException;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The codec against random input: what it writes it reads back equal, and no sequence of bytes
 * makes the reader throw anything but {@link MessageSerializationException}, hang, or allocate
 * beyond the frame's size.
 */
class CodecFuzzTest {

    private static final NodeId SELF = NodeId.parse("fuzz@127.0.0.1:1");
    private final WireCodec codec = new WireCodec(new TypeRegistry(), r -> r);

    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Object> scalars = Arbitraries.oneOf(
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(10).map(b -> (Object) List.of(b.length)));
        return Arbitraries.recursive(() -> scalars,
                inner -> Arbitraries.oneOf(
                        inner.list().ofMaxSize(5).map(l -> (Object) l),
                        Arbitraries.maps(Arbitraries.strings().ofMaxLength(5), inner).ofMaxSize(4).map(m -> (Object) m)),
                0, 4);
    }

    @Property(tries = 500)
    void whatIsWritten_readsBackEqual(@ForAll("values") Object value) {
        byte[] frame = codec.encode(MessageType.CAST, SELF, 1, (out, v) -> v.write("msg", value));
        Object back = codec.decode(frame).values().read("msg");
        assertThat(back).isEqualTo(value);
    }

    @Property(tries = 3000)
    void randomBytes_failOnlyWithASerializationError(@ForAll @Size(max = 200) byte[] junk) {
        readDefensively(junk);
    }

    @Property(tries = 3000)
    void mutatedFrames_failOnlyWithASerializationError(@ForAll("values") Object value,
            @ForAll @Size(min = 1, max = 8) List<Integer> positions, @ForAll byte replacement) {
        byte[] frame = codec.encode(MessageType.CAST, SELF, 1, (out, v) -> v.write("msg", value));
        for (int p : positions) {
            frame[Math.floorMod(p, frame.length)] = replacement;
        }
        readDefensively(frame);
    }

    @Property(tries = 1000)
    void truncatedFrames_failOnlyWithASerializationError(@ForAll("values") Object value, @ForAll int cut) {
        byte[] frame = codec.encode(MessageType.CAST, SELF, 1, (out, v) -> v.write("msg", Map.of("v", value)));
        byte[] truncated = java.util.Arrays.copyOf(frame, Math.floorMod(cut, frame.length));
        readDefensively(truncated);
    }

    /**
     * MessagePack tokens rather than raw bytes: headers that claim random (often huge) sizes,
     * every extension code noex uses and some it does not, strings and scalars, in random order
     * after a valid envelope. Random bytes rarely form such structures; this reaches the deep
     * paths (records, enums, failures, sets of sets) and the size checks. Each frame must fail
     * only with a serialization error, and decoding it may allocate no more than its own size
     * plus a fixed allowance.
     */
    @Property(tries = 3000)
    void tokenSoup_failsOnlyWithASerializationError_andAllocatesLittle(
            @ForAll @Size(min = 1, max = 60) List<@net.jqwik.api.constraints.IntRange(min = 0, max = 15) Integer> kinds,
            @ForAll @Size(min = 60, max = 60) List<Integer> numbers) {
        byte[] head = codec.encode(MessageType.CAST, SELF, 1, (out, v) -> { });
        java.io.ByteArrayOutputStream soup = new java.io.ByteArrayOutputStream();
        soup.writeBytes(head);
        for (int i = 0; i < kinds.size(); i++) {
            int n = numbers.get(i);
            switch (kinds.get(i)) {
                case 0 -> soup.writeBytes(new byte[] {(byte) 0xc7, (byte) Math.floorMod(n, 4), (byte) Math.floorMod(n, 21)});
                case 1 -> soup.writeBytes(new byte[] {(byte) 0xc7, 0, (byte) (6 + Math.floorMod(n, 13))});
                case 2 -> soup.writeBytes(be(0xdd, n));
                case 3 -> soup.write(0x90 | Math.floorMod(n, 16));
                case 4 -> soup.writeBytes(be(0xdf, n));
                case 5 -> soup.write(0x80 | Math.floorMod(n, 16));
                case 6 -> soup.writeBytes(be(0xdb, n));
                case 7 -> soup.writeBytes(be(0xc6, n));
                case 8 -> soup.writeBytes(be(0xc9, n));
                case 9 -> soup.writeBytes(new byte[] {(byte) 0xa9, 'n', 'o', 'e', 'x', '.', 'D', 'o', 'w', 'n'});
                case 10 -> soup.writeBytes(new byte[] {(byte) 0xa5, 'e', 'r', 'r', 'o', 'r'});
                case 11 -> soup.write(0xc0);
                case 12 -> soup.write(Math.floorMod(n, 128));
                case 13 -> soup.writeBytes(new byte[] {(byte) 0xa1, (byte) ('a' + Math.floorMod(n, 26))});
                case 14 -> soup.writeBytes(new byte[] {(byte) 0xcf, 1, 2, 3, 4, 5, 6, 7, 8});
                default -> soup.writeBytes(new byte[] {(byte) 0xd4, (byte) Math.floorMod(n, 21), 1});
            }
        }
        byte[] frame = soup.toByteArray();
        long allocated = io.noex.distribution.AllocationMeter.allocatedBy(() -> readDefensively(frame));
        assertThat(allocated).isLessThan(frame.length + 256 * 1024L);
    }

    private static byte[] be(int marker, int n) {
        return new byte[] {(byte) marker, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    private void readDefensively(byte[] frame) {
        try {
            WireCodec.Decoded d = codec.decode(frame);
            while (d.in().hasNext()) {
                d.values().read("msg");
            }
        } catch (MessageSerializationException expected) {
            // the one way to fail
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
