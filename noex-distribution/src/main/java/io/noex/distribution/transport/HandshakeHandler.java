package io.noex.distribution.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.noex.InvalidNodeIdException;
import io.noex.NodeId;
import io.noex.distribution.ProtocolVersion;
import io.noex.distribution.transport.ProtocolViolationException.Reason;
import io.noex.time.Cancellable;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The handshake: both ends send {@code hello} at once; with a cluster secret each then proves it
 * knows the secret ({@code proof}); the accepting end decides whether to admit the connection
 * (duplicate dials, stale incarnations, identity checks: {@link Transport#admit}) and answers
 * {@code welcome} or {@code reject}. Nothing but handshake messages is accepted before that; any
 * failure closes the connection with a typed reason. On success the handler removes itself,
 * installs {@link FrameAuthHandler} when the cluster is secured, and hands the channel to the
 * transport.
 *
 * <p>With TLS, the {@code SslHandler} ahead of this one holds back the hello until the TLS
 * handshake is done, and a failed TLS handshake reaches this handler as an event (and usually an
 * exception too): it is counted once, as {@code UNTRUSTED_CERTIFICATE} or {@code TLS_FAILED}
 * ({@link TlsFailures}). The handshake timeout covers TLS and hello together.
 *
 * <p>An accepted connection holds a {@link PendingHandshakes.Permit} until its handshake succeeds
 * (released here) or the channel closes (released by the transport); frames stay under
 * {@link FrameDecoder#HANDSHAKE_MAX_FRAME} until it succeeds.
 *
 * <p>Threading: event loop only (the timeout task hops onto it).
 */
final class HandshakeHandler extends ChannelDuplexHandler {

    private static final SecureRandom RANDOM = new SecureRandom();

    private enum Phase { EXPECT_HELLO, EXPECT_PROOF, EXPECT_WELCOME, DONE }

    private final Transport transport;
    private final Optional<NodeId> dialed;
    private final Optional<PendingHandshakes.Permit> permit;
    private final byte[] myNonce = new byte[Crypto.NONCE_BYTES];
    private Phase phase = Phase.EXPECT_HELLO;
    /** True only once the connection was handed to the transport; a failed handshake is not DONE-and-succeeded. */
    private boolean succeeded;
    /** True once a failure was reported: later events of the same failure are not counted again. */
    private boolean failed;
    private HandshakeMessage.Hello peerHello;
    private NodeId peerId;
    private Cancellable timeout;

    /**
     * @param transport the owning transport
     * @param dialed the node this end dialed (empty for an accepted connection)
     * @param permit the accepted connection's place among the pending handshakes (empty when dialed)
     */
    HandshakeHandler(Transport transport, Optional<NodeId> dialed, Optional<PendingHandshakes.Permit> permit) {
        this.transport = transport;
        this.dialed = dialed;
        this.permit = permit;
        RANDOM.nextBytes(myNonce);
    }

    private boolean initiator() {
        return dialed.isPresent();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Duration limit = transport.config().handshakeTimeout();
        timeout = transport.scheduler().schedule(() -> ctx.executor().execute(() -> {
            if (phase != Phase.DONE) {
                fail(ctx, new ProtocolViolationException(Reason.HANDSHAKE_TIMEOUT,
                        "no complete handshake within " + limit.toMillis() + " ms"));
            }
        }), limit);
        ctx.writeAndFlush(HandshakeMessage.encode(new HandshakeMessage.Hello(ProtocolVersion.CURRENT,
                transport.self().toString(), transport.incarnation(), myNonce, transport.secured())));
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        if (!succeeded) {
            // Failed, refused or cut short: the transport forgets this dial and redials if wanted.
            transport.handshakeAbandoned(ctx.channel(), dialed);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (phase == Phase.DONE) {
            if (succeeded) {
                ctx.fireChannelRead(msg);
            } else {
                ReferenceCountUtil.release(msg); // decoded behind a failure: never read
            }
            return;
        }
        ByteBuf frame = (ByteBuf) msg;
        try {
            step(ctx, HandshakeMessage.decode(frame));
        } catch (ProtocolViolationException e) {
            fail(ctx, e);
        } finally {
            frame.release();
        }
    }

    private void step(ChannelHandlerContext ctx, HandshakeMessage m) {
        switch (phase) {
            case EXPECT_HELLO -> {
                if (!(m instanceof HandshakeMessage.Hello hello)) {
                    throw new ProtocolViolationException(Reason.BAD_HANDSHAKE, "expected hello, got " + name(m));
                }
                onHello(ctx, hello);
            }
            case EXPECT_PROOF -> {
                if (!(m instanceof HandshakeMessage.Proof proof)) {
                    throw new ProtocolViolationException(Reason.BAD_HANDSHAKE, "expected proof, got " + name(m));
                }
                byte[] expected = Crypto.proof(transport.secret(), myNonce, peerId.toString(), transport.self().toString());
                if (!Crypto.constantTimeEquals(expected, proof.mac())) {
                    throw new ProtocolViolationException(Reason.AUTHENTICATION_FAILED,
                            "wrong cluster secret: " + peerId + " could not prove it");
                }
                afterVerified(ctx);
            }
            case EXPECT_WELCOME -> {
                if (m instanceof HandshakeMessage.Reject r) {
                    Reason reason = r.reason().startsWith("duplicate") ? Reason.DUPLICATE_CONNECTION : Reason.IDENTITY_MISMATCH;
                    throw new ProtocolViolationException(reason, peerId + " refused the connection: " + r.reason());
                }
                if (!(m instanceof HandshakeMessage.Welcome)) {
                    throw new ProtocolViolationException(Reason.BAD_HANDSHAKE, "expected welcome, got " + name(m));
                }
                complete(ctx);
            }
            case DONE -> throw new IllegalStateException("handshake already done");
        }
    }

    private void onHello(ChannelHandlerContext ctx, HandshakeMessage.Hello hello) {
        if (!ProtocolVersion.isSupported(hello.version())) {
            throw new ProtocolViolationException(Reason.UNSUPPORTED_VERSION, "peer speaks protocol version "
                    + hello.version() + ", this node " + ProtocolVersion.MIN_SUPPORTED + " to " + ProtocolVersion.CURRENT);
        }
        try {
            peerId = NodeId.parse(hello.nodeId());
        } catch (InvalidNodeIdException e) {
            throw new ProtocolViolationException(Reason.BAD_HANDSHAKE, e.getMessage());
        }
        if (dialed.isPresent() && !dialed.get().equals(peerId)) {
            throw new ProtocolViolationException(Reason.IDENTITY_MISMATCH, "dialed " + dialed.get() + " but " + peerId + " answered");
        }
        if (peerId.equals(transport.self())) {
            throw new ProtocolViolationException(Reason.IDENTITY_MISMATCH, "peer claims this node's own NodeId " + peerId);
        }
        if (hello.secured() != transport.secured()) {
            throw new ProtocolViolationException(Reason.AUTHENTICATION_FAILED, transport.secured()
                    ? "this cluster requires a secret; " + peerId + " has none"
                    : peerId + " uses a cluster secret; this node has none");
        }
        peerHello = hello;
        if (transport.secured()) {
            ctx.writeAndFlush(HandshakeMessage.encode(new HandshakeMessage.Proof(
                    Crypto.proof(transport.secret(), hello.nonce(), transport.self().toString(), peerId.toString()))));
            phase = Phase.EXPECT_PROOF;
        } else {
            afterVerified(ctx);
        }
    }

    private void afterVerified(ChannelHandlerContext ctx) {
        if (initiator()) {
            phase = Phase.EXPECT_WELCOME;
            return;
        }
        Optional<String> refusal = transport.admit(ctx.channel(), new PeerHello(peerId, peerHello.incarnation(), peerHello.version()));
        if (refusal.isPresent()) {
            ctx.writeAndFlush(HandshakeMessage.encode(new HandshakeMessage.Reject(refusal.get())));
            Reason reason = refusal.get().startsWith("duplicate") ? Reason.DUPLICATE_CONNECTION : Reason.IDENTITY_MISMATCH;
            fail(ctx, new ProtocolViolationException(reason, refusal.get()));
            return;
        }
        ctx.writeAndFlush(HandshakeMessage.encode(new HandshakeMessage.Welcome()));
        complete(ctx);
    }

    private void complete(ChannelHandlerContext ctx) {
        phase = Phase.DONE;
        succeeded = true;
        cancelTimeout();
        permit.ifPresent(PendingHandshakes.Permit::release);
        ctx.pipeline().get(FrameDecoder.class).handshakeCompleted(); // authenticated: full-size frames from here on
        if (transport.secured()) {
            byte[] sendKey = Crypto.sessionKey(transport.secret(), myNonce, peerHello.nonce());
            byte[] recvKey = Crypto.sessionKey(transport.secret(), peerHello.nonce(), myNonce);
            ctx.pipeline().addAfter(ctx.name(), "auth", new FrameAuthHandler(sendKey, recvKey));
        }
        ctx.pipeline().remove(this);
        transport.established(ctx.channel(), new PeerHello(peerId, peerHello.incarnation(), peerHello.version()), initiator());
    }

    private void fail(ChannelHandlerContext ctx, ProtocolViolationException e) {
        if (failed || succeeded) {
            return;
        }
        failed = true;
        phase = Phase.DONE;
        cancelTimeout();
        transport.rejected(ctx.channel(), dialed, e);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess() && phase != Phase.DONE) {
            tlsFailed(ctx, tls.cause());
        }
        ctx.fireUserEventTriggered(event);
    }

    private void tlsFailed(ChannelHandlerContext ctx, Throwable cause) {
        String peer = dialed.map(NodeId::toString).orElseGet(() -> String.valueOf(ctx.channel().remoteAddress()));
        Optional<ProtocolViolationException> violation = TlsFailures.classify(cause, peer);
        if (violation.isPresent()) {
            fail(ctx, violation.get());
        } else {
            wentAway(ctx);
        }
    }

    /** The peer went away (reset, broken pipe, closed): not a protocol violation, nothing to count. */
    private void wentAway(ChannelHandlerContext ctx) {
        phase = Phase.DONE;
        cancelTimeout();
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable thrown) {
        Throwable cause = Transport.unwrap(thrown);
        if (phase == Phase.DONE) {
            if (succeeded) {
                ctx.fireExceptionCaught(cause);
            }
            return; // after a failure, the same failure again (TLS reports it twice) or its aftermath
        }
        if (cause instanceof SSLException) { // NotSslRecordException included
            tlsFailed(ctx, cause);
            return;
        }
        if (cause instanceof java.io.IOException) {
            wentAway(ctx);
            return;
        }
        fail(ctx, cause instanceof ProtocolViolationException p ? p
                : new ProtocolViolationException(Reason.MALFORMED_FRAME, "during the handshake: " + cause));
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel();
            timeout = null;
        }
    }

    private static String name(HandshakeMessage m) {
        return m.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}
