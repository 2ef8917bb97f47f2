package io.noex.distribution.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.noex.NodeId;
import io.noex.distribution.ProtocolVersion;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import javax.crypto.Mac;

/**
 * A hand-driven peer on a plain socket: it can speak the handshake correctly, or break any rule
 * of it, and send raw bytes. For testing what a node does with hostile or broken input; public so
 * that the cluster-level security tests can play the attacker too.
 */
public final class RawPeer implements AutoCloseable {

    final Socket socket = new Socket();
    final DataOutputStream out;
    final DataInputStream in;
    final byte[] nonce = new byte[Crypto.NONCE_BYTES];
    HandshakeMessage.Hello theirHello;
    private Mac sendMac;
    private long sendSeq;

    /** Connects to {@code target} (and does nothing else yet). */
    public RawPeer(NodeId target) throws IOException {
        this(target, null);
    }

    /** Connects to {@code target} from the local address {@code from} (null: any), such as 127.0.0.2. */
    RawPeer(NodeId target, java.net.InetAddress from) throws IOException {
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        socket.connect(new InetSocketAddress(target.host(), target.port()), 2000);
        socket.setSoTimeout(5000);
        out = new DataOutputStream(socket.getOutputStream());
        in = new DataInputStream(socket.getInputStream());
        new SecureRandom().nextBytes(nonce);
    }

    /** Sends one length-prefixed frame. */
    public void sendFrame(byte[] payload) throws IOException {
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(HandshakeMessage m) throws IOException {
        ByteBuf b = HandshakeMessage.encode(m);
        sendFrame(ByteBufUtil.getBytes(b));
        b.release();
    }

    /** Sends a hello claiming {@code claimedId}, with or without a secret. */
    public void sendHello(String claimedId, boolean secured) throws IOException {
        send(new HandshakeMessage.Hello(ProtocolVersion.CURRENT, claimedId, 1, nonce, secured));
    }

    /** Reads the node's hello; @return the NodeId it claims */
    public String receiveHello() throws IOException {
        theirHello = (HandshakeMessage.Hello) receive();
        return theirHello.nodeId();
    }

    /** After {@link #receiveHello}, sends the proof of {@code secret} (a wrong one, for an attacker). */
    public void sendProof(byte[] secret, String claimedId) throws IOException {
        send(new HandshakeMessage.Proof(Crypto.proof(secret, theirHello.nonce(), claimedId, theirHello.nodeId())));
    }

    HandshakeMessage receive() throws IOException {
        int len = in.readInt();
        byte[] payload = new byte[len];
        in.readFully(payload);
        return HandshakeMessage.decode(Unpooled.wrappedBuffer(payload));
    }

    /** Completes a correct handshake as {@code self}, with {@code secret} if non-null. */
    void handshake(NodeId self, long incarnation, byte[] secret) throws IOException {
        send(new HandshakeMessage.Hello(ProtocolVersion.CURRENT, self.toString(), incarnation, nonce, secret != null));
        theirHello = (HandshakeMessage.Hello) receive();
        if (secret != null) {
            send(new HandshakeMessage.Proof(Crypto.proof(secret, theirHello.nonce(), self.toString(), theirHello.nodeId())));
            HandshakeMessage proof = receive();
            if (!(proof instanceof HandshakeMessage.Proof)) {
                throw new IOException("expected proof, got " + proof);
            }
            sendMac = Crypto.mac(Crypto.sessionKey(secret, nonce, theirHello.nonce()));
        }
        HandshakeMessage answer = receive();
        if (!(answer instanceof HandshakeMessage.Welcome)) {
            throw new IOException("not welcomed: " + answer);
        }
    }

    /** @return a data frame signed with the session key (the next sequence number) */
    byte[] signed(byte[] data) {
        sendMac.update(Crypto.seqBytes(sendSeq++));
        sendMac.update(data);
        byte[] mac = sendMac.doFinal();
        byte[] frame = new byte[data.length + mac.length];
        System.arraycopy(data, 0, frame, 0, data.length);
        System.arraycopy(mac, 0, frame, data.length, mac.length);
        return frame;
    }

    /** @return true if the node closed the connection within 5 s */
    public boolean closedByPeer() {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
