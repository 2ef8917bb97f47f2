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
