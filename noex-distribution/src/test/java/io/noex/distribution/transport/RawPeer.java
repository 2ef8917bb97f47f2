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
 * of it, and send raw bytes. For testing what a node does with hostile or broken input.
 */
final class RawPeer implements AutoCloseable {

    final Socket socket = new Socket();
    final DataOutputStream out;
    final DataInputStream in;
    final byte[] nonce = new byte[Crypto.NONCE_BYTES];
    HandshakeMessage.Hello theirHello;
    private Mac sendMac;
    private long sendSeq;

    RawPeer(NodeId target) throws IOException {
        socket.connect(new InetSocketAddress(target.host(), target.port()), 2000);
        socket.setSoTimeout(5000);
        out = new DataOutputStream(socket.getOutputStream());
        in = new DataInputStream(socket.getInputStream());
        new SecureRandom().nextBytes(nonce);
    }

    void sendFrame(byte[] payload) throws IOException {
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
    boolean closedByPeer() {
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
