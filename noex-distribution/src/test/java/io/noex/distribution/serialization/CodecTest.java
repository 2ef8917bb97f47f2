package io.noex.distribution.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.noex.Down;
import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.MonitorRef;
import io.noex.NodeId;
import io.noex.distribution.MessageSerializationException;
import io.noex.distribution.ProtocolVersion;
import io.noex.distribution.RemoteFailure;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CodecTest {

    public record Point(int x, int y) {
    }

    public record Order(String id, List<Point> items, Color color, Optional<Long> discount, Map<String, Object> extra) {
    }

    public record Holder(Object callback) {
    }

    public record Unregistered(int a) {
    }

    public enum Color { RED, GREEN }

    static final NodeId SELF = NodeId.parse("self@127.0.0.1:4369");

    private final TypeRegistry types = new TypeRegistry();
    private final WireCodec codec = new WireCodec(types, r -> r);

    CodecTest() {
        types.register("test.Point", Point.class);
        types.register("test.Order", Order.class);
        types.register("test.Holder", Holder.class);
        types.register("test.Color", Color.class);
    }

    private Object roundTrip(Object value) {
        byte[] frame = codec.encode(MessageType.CAST, SELF, 42L, (out, values) -> values.write("msg", value));
        WireCodec.Decoded d = codec.decode(frame);
        assertThat(d.type()).isEqualTo(MessageType.CAST);
        assertThat(d.sender()).isEqualTo(SELF);
        assertThat(d.timestamp()).isEqualTo(42L);
        assertThat(d.version()).isEqualTo(ProtocolVersion.CURRENT);
        Object back = d.values().read("msg");
        assertThat(d.in().getTotalReadBytes()).isEqualTo(frame.length);
        return back;
    }

    @Test
    void scalars_roundTripToTheSameJavaTypes() {
        List<Object> values = Arrays.asList(null, true, false, 0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE,
                0L, Long.MIN_VALUE, Long.MAX_VALUE, (short) -7, (byte) 3, 1.5f, -0.0d, Math.PI,
                "", "héllo ✓", new BigInteger("-123456789012345678901234567890"), new BigDecimal("-1234.5678900"),
                Instant.ofEpochSecond(1_700_000_000L, 123_456_789), new Date(1_234_567L), LocalDate.of(2026, 11, 26),
                Duration.ofSeconds(-5, 7), UUID.randomUUID(), SELF, new GenServerRef("<a.1>", SELF), Optional.empty(),
                Optional.of("x"), Color.GREEN, new Point(1, -2));
        for (Object v : values) {
            Object back = roundTrip(v);
            assertThat(back).as("round trip of %s", v).isEqualTo(v);
            if (v != null) {
                assertThat(back).as("type of %s", v).isExactlyInstanceOf(v.getClass());
            }
        }
    }

    @Test
    void floatingPointSpecials_roundTrip() {
        for (double d : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE}) {
            assertThat(Double.compare((Double) roundTrip(d), d)).isZero();
        }
        for (float f : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            assertThat(Float.compare((Float) roundTrip(f), f)).isZero();
        }
    }

    @Test
    void bytes_collectionsAndOrder_roundTrip() {
        byte[] bytes = {0, 1, (byte) 0xff, 127};
        assertThat((byte[]) roundTrip(bytes)).containsExactly(bytes);
        assertThat(roundTrip(new byte[0])).isEqualTo(new byte[0]);
        assertThat(roundTrip(List.of())).isEqualTo(List.of());
        assertThat(roundTrip(Map.of())).isEqualTo(Map.of());
        assertThat(roundTrip(Set.of())).isEqualTo(Set.of());
        LinkedHashMap<Object, Object> ordered = new LinkedHashMap<>();
        ordered.put("z", 1);
        ordered.put(3, List.of(List.of(), List.of(1L)));
        ordered.put(Color.RED, Map.of("in", Set.of(1)));
        ordered.put(new Point(0, 0), null);
        Object back = roundTrip(ordered);
        assertThat(back).isEqualTo(ordered);
        assertThat(new ArrayList<Object>(((Map<?, ?>) back).keySet())).containsExactlyElementsOf(ordered.keySet());
        LinkedHashSet<String> set = new LinkedHashSet<>(List.of("c", "a", "b"));
        assertThat(new ArrayList<Object>((Set<?>) roundTrip(set))).containsExactly("c", "a", "b");
        List<Object> nested = List.of(1, List.of(2, List.of(3, List.of())), Map.of("k", List.of()));
        assertThat(roundTrip(nested)).isEqualTo(nested);
    }

    @Test
    void records_withNestedRecordsEnumsAndOptionals_roundTrip() {
        Order order = new Order("o-1", List.of(new Point(1, 2), new Point(3, 4)), Color.RED, Optional.of(5L),
                new HashMap<>(Map.of("note", "fragile", "when", Instant.ofEpochSecond(1, 1))));
        assertThat(roundTrip(order)).isEqualTo(order);
        Down down = new Down(new MonitorRef(7), new GenServerRef("<x.2>", SELF), ExitReason.noconnection());
        assertThat(roundTrip(down)).isEqualTo(down);
    }

    @Test
    void aSharedAcyclicReference_isFine() {
        Point shared = new Point(9, 9);
        List<Object> twice = List.of(shared, shared, List.of(shared));
        assertThat(roundTrip(twice)).isEqualTo(twice);
    }

    @Test
    void exitReasonsAndFailures_crossAsDescriptions() {
        for (ExitReason r : List.of(ExitReason.normal(), ExitReason.shutdown(), ExitReason.killed(),
                ExitReason.noproc(), ExitReason.noconnection(), ExitReason.error("plain"))) {
            assertThat(roundTrip(r)).isEqualTo(r);
        }
        IllegalStateException cause = new IllegalStateException("boom");
        Object back = roundTrip(ExitReason.error("crashed", cause));
        assertThat(back).isInstanceOfSatisfying(ExitReason.Error.class, e -> {
            assertThat(e.message()).isEqualTo("crashed");
            assertThat(e.cause()).get().isInstanceOfSatisfying(RemoteFailure.class, f -> {
                assertThat(f.remoteClassName()).isEqualTo(IllegalStateException.class.getName());
                assertThat(f.remoteMessage()).isEqualTo("boom");
                assertThat(f.getStackTrace()).isNotEmpty();
                assertThat(f.getStackTrace()[0].getMethodName()).isEqualTo(cause.getStackTrace()[0].getMethodName());
            });
        });
    }

    @Test
    void aLambda_isRefusedAtTheSender_namingThePath() {
        Supplier<String> lambda = () -> "x";
        Map<String, Object> msg = Map.of("items", List.of(1, 2, 3, new Holder(lambda)));
        assertThatThrownBy(() -> codec.encode(MessageType.CAST, SELF, 0, (out, v) -> v.write("msg", msg)))
                .isInstanceOfSatisfying(MessageSerializationException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("msg[items][3].callback: lambda is not serializable");
                    assertThat(e.path()).isEqualTo("msg[items][3].callback");
                });
        Order order = new Order("o", List.of(new Point(1, 1)), Color.RED, Optional.empty(), Map.of("cb", lambda));
        assertThatThrownBy(() -> codec.encode(MessageType.CAST, SELF, 0, (out, v) -> v.write("msg", order)))
                .hasMessage("msg.extra[cb]: lambda is not serializable");
    }

    @Test
    void unregisteredAndArbitraryClasses_areRefusedNamingTheType() {
        assertThatThrownBy(() -> codec.encode(MessageType.CAST, SELF, 0,
                (out, v) -> v.write("msg", List.of(new Unregistered(1)))))
                .isInstanceOfSatisfying(MessageSerializationException.class, e -> {
                    assertThat(e.path()).isEqualTo("msg[0]");
                    assertThat(e.typeName()).isEqualTo(Unregistered.class.getName());
                    assertThat(e.getMessage()).contains("is not registered");
                });
        assertThatThrownBy(() -> codec.encode(MessageType.CAST, SELF, 0, (out, v) -> v.write("msg", new Object())))
                .hasMessageContaining("msg: type java.lang.Object is not serializable");
        assertThatThrownBy(() -> codec.encode(MessageType.CAST, SELF, 0, (out, v) -> v.write("msg", new int[] {1})))
                .hasMessageContaining("arrays other than byte[]");
        assertThatThrownBy(() -> codec.encode(MessageType.CAST, SELF, 0, (out, v) -> v.write("msg", Thread.State.NEW)))
                .hasMessageContaining("enum java.lang.Thread$State is not registered");
    }

    @Test
    void aCycle_isRefusedNamingWhereItCloses() {
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(1);
        cyclic.add(List.of("x", cyclic));
        assertThatThrownBy(() -> codec.encode(MessageType.CAST, SELF, 0, (out, v) -> v.write("msg", cyclic)))
                .isInstanceOfSatisfying(MessageSerializationException.class, e -> {
                    assertThat(e.path()).isEqualTo("msg[1][1]");
                    assertThat(e.getMessage()).contains("cyclic structure");
                });
        Map<String, Object> self = new HashMap<>();
        self.put("me", self);
        assertThatThrownBy(() -> codec.encode(MessageType.CAST, SELF, 0, (out, v) -> v.write("msg", self)))
                .hasMessageContaining("msg[me]: cyclic structure");
    }

    @Test
    void theReceiver_refusesTypesItHasNotRegistered() {
        byte[] frame = codec.encode(MessageType.CAST, SELF, 0, (out, v) -> v.write("msg", new Point(1, 2)));
        WireCodec receiver = new WireCodec(new TypeRegistry(), r -> r);
        WireCodec.Decoded d = receiver.decode(frame);
        assertThatThrownBy(() -> d.values().read("msg"))
                .isInstanceOfSatisfying(MessageSerializationException.class,
                        e -> assertThat(e.getMessage()).contains("record 'test.Point' is not registered on this node"));
    }

    @Test
    void theReceiver_refusesAComponentOfTheWrongType() {
        TypeRegistry other = new TypeRegistry();
        other.register("test.Point", Point.class);
        byte[] frame = codec.encode(MessageType.CAST, SELF, 0, (out, v) -> {
            out.packExtensionTypeHeader(ExtType.RECORD, 0);
            out.packString("test.Point");
            out.packArrayHeader(2);
            out.packInt(1);
            out.packString("not an int");
        });
        assertThatThrownBy(() -> new WireCodec(other, r -> r).decode(frame).values().read("msg"))
                .hasMessageContaining("msg.y").hasMessageContaining("expected int, got java.lang.String");
    }

    @Test
    void unknownMessageTypeCodes_decodeAsNullType() {
        byte[] frame = codec.encode(MessageType.CAST, SELF, 0, (out, v) -> { });
        frame[2] = 99; // the type code sits after the array header and the version
        WireCodec.Decoded d = codec.decode(frame);
        assertThat(d.typeCode()).isEqualTo(99);
        assertThat(d.type()).isNull();
    }
}
