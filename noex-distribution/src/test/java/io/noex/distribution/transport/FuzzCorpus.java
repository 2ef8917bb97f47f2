package io.noex.distribution.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.noex.ExitReason;
import io.noex.GenServerRef;
import io.noex.NodeId;
import io.noex.distribution.ProtocolVersion;
import io.noex.distribution.RemoteFailure;
import io.noex.distribution.serialization.MessageType;
import io.noex.distribution.serialization.WireCodec;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The valid frames a fuzzer starts from: a {@code hello} and the other handshake messages, and
 * one or more envelopes of every message type with plausible bodies (calls and casts carry
 * values of every kind the codec knows: records, enums, sets, optionals, exit reasons with
 * failures, big numbers, times, refs). Also builds envelopes with any type code and any body.
 *
 * <p>Every NodeId in the corpus has a host under {@code .invalid} (RFC 6761: never resolves).
 * Gossip about such a node, or a mutated copy of it, makes the node under test dial it; a few
 * edits of such a name are still a host name, never an IP literal (an edit of
 * {@code 127.77.77.77} can be {@code 17.77.77.77}, a real address), and the test JVM's resolver
 * ({@link io.noex.distribution.OfflineResolver}) refuses every name but localhost at once, so the
 * dial fails without reaching any network.
 */
final class FuzzCorpus {

    /** The identity the fuzzer claims. */
    static final NodeId FUZZER = NodeId.parse("fuzzer@fuzz.invalid:7");
    /** A node that does not exist, named in gossip and refs. */
    static final NodeId GHOST = NodeId.parse("ghost@ghost.invalid:8");

    /** A registered record, for the codec's record path. */
    public record Probe(String text, int n, List<Object> items) {
    }

    /** A registered enum, for the codec's enum path. */
    public enum Mood { CALM, ANGRY }

    private final WireCodec codec;
    private final List<byte[]> envelopes = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    /** @param codec a codec that has {@link Probe} and {@link Mood} registered as "fuzz.Probe" and "fuzz.Mood" */
    FuzzCorpus(WireCodec codec) {
        this.codec = codec;
        buildValues();
        buildEnvelopes();
    }

    private void buildValues() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("k", List.of(1, 2L, 3.5));
        map.put(7, null);
        values.add(null);
        values.add(42);
        values.add(Long.MIN_VALUE);
        values.add(Double.NaN);
        values.add(3.25f);
        values.add("text ✓");
        values.add(new byte[] {1, 2, 3});
        values.add(List.of(List.of(List.of("deep")), Map.of()));
        values.add(map);
        values.add(Set.of(1, 2, 3));
        values.add(Optional.of("present"));
        values.add(Optional.empty());
        values.add(new Probe("probe", 9, List.of(Mood.ANGRY, Optional.of(1))));
        values.add(Mood.CALM);
        values.add(new BigInteger("123456789012345678901234567890"));
        values.add(new BigDecimal("-1.000000000000000000001"));
        values.add(Instant.ofEpochSecond(1_700_000_000L, 123_456_789));
        values.add(LocalDate.of(2024, 2, 29));
        values.add(Duration.ofMillis(1500));
        values.add(new UUID(1, 2));
        values.add((short) 7);
        values.add((byte) -1);
        values.add(new java.util.Date(0));
        values.add(new GenServerRef("p1", GHOST));
        values.add(GHOST);
        values.add(ExitReason.normal());
        values.add(ExitReason.noconnection());
        values.add(ExitReason.error("boom", new RemoteFailure("java.lang.IllegalStateException", "boom",
                List.of(new StackTraceElement("a.B", "c", "B.java", 12)))));
    }

    private void buildEnvelopes() {
        GenServerRef mine = new GenServerRef("f1", FUZZER);
        add(MessageType.HEARTBEAT, (out, v) -> out.packInt(3).packLong(12_345));
        add(MessageType.GOSSIP, (out, v) -> {
            out.packArrayHeader(2);
            out.packArrayHeader(2).packString(FUZZER.toString()).packLong(1);
            out.packArrayHeader(2).packString(GHOST.toString()).packLong(5);
        });
        add(MessageType.NODE_DOWN, (out, v) -> out.packString(GHOST.toString()).packString("graceful_shutdown"));
        for (Object value : values) {
            add(MessageType.CALL, (out, v) -> {
                out.packLong(77).packString("echo").packLong(5_000);
                v.write("msg", value);
            });
            add(MessageType.CAST, (out, v) -> {
                out.packString("echo");
                v.write("msg", value);
            });
        }
        add(MessageType.CALL, (out, v) -> {
            out.packLong(78).packString("nobody").packLong(5_000);
            v.write("msg", "hello?");
        });
        add(MessageType.SEND, (out, v) -> {
            out.packString("echo");
            v.write("msg", List.of("info", 1));
        });
        add(MessageType.CALL_REPLY, (out, v) -> {
            out.packLong(991);
            v.write("reply", values.get(12));
        });
        add(MessageType.CALL_ERROR, (out, v) -> {
            out.packLong(992).packString("crashed").packString("it broke");
            v.write("error", values.get(values.size() - 1));
        });
        add(MessageType.REGISTRY_SYNC, (out, v) -> {
            out.packString("add").packArrayHeader(1);
            out.packArrayHeader(4).packString("fuzz-name");
            v.write("entry", mine);
            out.packLong(1).packString("EXIT");
        });
        add(MessageType.REGISTRY_SYNC, (out, v) -> {
            out.packString("remove").packArrayHeader(1);
            out.packArrayHeader(3).packString("fuzz-name");
            v.write("entry", mine);
            out.packLong(2);
        });
        add(MessageType.SPAWN_REQUEST, (out, v) -> {
            out.packLong(5).packString("no.such.Behavior").packNil().packString("NONE").packLong(1_000);
            v.write("args", List.of(1, "two"));
        });
        add(MessageType.SPAWN_REPLY, (out, v) -> out.packLong(6).packString("p9"));
        add(MessageType.SPAWN_ERROR, (out, v) -> {
            out.packLong(7).packString("init_failed").packString("no");
            v.write("failure", null);
        });
        add(MessageType.MONITOR_REQUEST, (out, v) -> out.packLong(8).packString("nobody"));
        add(MessageType.MONITOR_ACK, (out, v) -> out.packLong(8).packBoolean(true));
        add(MessageType.DEMONITOR, (out, v) -> out.packLong(8));
        add(MessageType.PROCESS_DOWN, (out, v) -> {
            out.packLong(9);
            v.write("reason", ExitReason.killed());
        });
        add(MessageType.LINK_REQUEST, (out, v) -> {
            v.write("from", mine);
            out.packString("nobody");
        });
        add(MessageType.LINK_ACK, (out, v) -> {
            v.write("from", mine);
            out.packString("nobody").packBoolean(true);
        });
        add(MessageType.UNLINK, (out, v) -> {
            v.write("from", mine);
            out.packString("nobody");
        });
        add(MessageType.EXIT_SIGNAL, (out, v) -> {
            v.write("from", mine);
            out.packString("nobody");
            v.write("reason", ExitReason.noproc());
        });
        for (String op : List.of("is_running", "kill", "fence", "no_such_op")) {
            add(MessageType.CONTROL_REQUEST, (out, v) -> {
                out.packLong(10).packString(op).packString("nobody");
                v.write("reason", null);
                out.packLong(1_000);
            });
        }
        add(MessageType.CONTROL_REPLY, (out, v) -> {
            out.packLong(11);
            v.write("result", true);
        });
    }

    private void add(MessageType type, WireCodec.Body body) {
        envelopes.add(codec.encode(type, FUZZER, 1_700_000_000_000L, body));
    }

    /** @return the valid envelopes, at least one of every message type */
    List<byte[]> envelopes() {
        return envelopes;
    }

    /**
     * @param id the request id the node will answer with
     * @return a control request "is the echo server running?": the node answers it only after
     *     every earlier frame of the connection was handled, so it is a barrier
     */
    byte[] barrier(long id) {
        return codec.encode(MessageType.CONTROL_REQUEST, FUZZER, 1_700_000_000_000L, (out, v) -> {
            out.packLong(id).packString("is_running").packString("echo");
            v.write("reason", null);
            out.packLong(1_000);
        });
    }

    /**
     * @param code any type code, known or not
     * @param body raw bytes after the header
     * @return an envelope from {@link #FUZZER} with that code and body
     */
    static byte[] envelope(int code, byte[] body) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packArrayHeader(4).packInt(ProtocolVersion.CURRENT).packInt(code).packString(FUZZER.toString())
                    .packLong(1_700_000_000_000L);
            p.writePayload(body);
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a type code no message type has */
    static int unknownCode(SplittableRandom r) {
        while (true) {
            int code = switch (r.nextInt(4)) {
                case 0 -> r.nextInt(128);
                case 1 -> 128 + r.nextInt(100_000);
                case 2 -> -1 - r.nextInt(1000);
                default -> r.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE;
            };
            if (MessageType.ofCode(code) == null) {
                return code;
            }
        }
    }

    /** @return the header of an envelope from {@link #FUZZER} of a known type, with no body */
    static byte[] header(MessageType type) {
        return envelope(type.code(), new byte[0]);
    }

    /**
     * @param secured whether to announce a cluster secret
     * @param nonce 16 bytes
     * @return a valid {@code hello} payload from {@link #FUZZER}, unframed
     */
    static byte[] hello(boolean secured, byte[] nonce) {
        return payload(new HandshakeMessage.Hello(ProtocolVersion.CURRENT, FUZZER.toString(), 1, nonce, secured));
    }

    /** @return the payload of a handshake message, unframed */
    static byte[] payload(HandshakeMessage m) {
        ByteBuf b = HandshakeMessage.encode(m);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    /** @return {@code payload} with its 4-byte length prefix */
    static byte[] framed(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    /** Writes a body of random MessagePack-ish tokens (headers claiming random sizes, scalars). */
    static byte[] tokenSoup(SplittableRandom r) {
        java.io.ByteArrayOutputStream soup = new java.io.ByteArrayOutputStream();
        int n = 1 + r.nextInt(40);
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(12);
            int x = r.nextInt();
            switch (k) {
                case 0 -> soup.writeBytes(new byte[] {(byte) 0xc7, (byte) r.nextInt(4), (byte) r.nextInt(21)});
                case 1 -> soup.writeBytes(new byte[] {(byte) 0xc7, 0, (byte) (6 + r.nextInt(13))});
                case 2 -> soup.writeBytes(new byte[] {(byte) 0xdd, (byte) (x >>> 24), (byte) (x >>> 16), (byte) (x >>> 8), (byte) x});
                case 3 -> soup.write(0x90 | r.nextInt(16));
                case 4 -> soup.write(0x80 | r.nextInt(16));
                case 5 -> soup.writeBytes(new byte[] {(byte) 0xdb, (byte) (x >>> 24), (byte) (x >>> 16), (byte) (x >>> 8), (byte) x});
                case 6 -> soup.writeBytes(new byte[] {(byte) 0xaa, 'f', 'u', 'z', 'z', '.', 'P', 'r', 'o', 'b', 'e'});
                case 7 -> soup.writeBytes(new byte[] {(byte) 0xa5, 'e', 'r', 'r', 'o', 'r'});
                case 8 -> soup.write(0xc0);
                case 9 -> soup.write(r.nextInt(128));
                case 10 -> soup.writeBytes(new byte[] {(byte) 0xa4, 'e', 'c', 'h', 'o'});
                default -> soup.writeBytes(new byte[] {(byte) 0xcf, (byte) x, 2, 3, 4, 5, 6, 7, 8});
            }
        }
        return soup.toByteArray();
    }
}
