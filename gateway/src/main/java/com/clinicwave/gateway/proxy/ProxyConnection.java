package com.clinicwave.gateway.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: runs its requests one at a time, in order (HTTP/1.1 pipelined requests wait their turn),
 * each as an {@link Exchange}.
 */
final class ProxyConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ProxyConnection.class);

    final DataPlane plane;
    @Nullable ChannelHandlerContext ctx;
    String peer = "unknown";
    int localPort;
    private @Nullable Exchange current;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();

    ProxyConnection(DataPlane plane) {
        this.plane = plane;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        plane.connectionOpened();
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
            peer = remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        }
        if (ctx.channel().localAddress() instanceof InetSocketAddress local) {
            localPort = local.getPort();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (current != null || !waiting.isEmpty()) {
            if (current != null && waiting.isEmpty() && msg instanceof HttpContent content) {
                current.onRequestContent(content);
                return;
            }
            // A pipelined request: it waits until the current one is answered.
            waiting.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest request) {
            Exchange exchange = new Exchange(this, request);
            current = exchange;
            exchange.begin();
        } else if (current != null && msg instanceof HttpContent content) {
            current.onRequestContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The exchange is answered and its request fully read: the next request may run. */
    void done(Exchange exchange) {
        if (current != exchange) {
            return;
        }
        current = null;
        ChannelHandlerContext context = ctx;
        if (context == null || !context.channel().isActive()) {
            releaseWaiting();
            return;
        }
        // The next pipelined request, with as much of its body as was read; it may complete (and recurse) at once.
        Object msg;
        while ((msg = waiting.peek()) != null && !(msg instanceof HttpRequest && current != null)) {
            waiting.poll();
            dispatch(msg);
        }
        if (waiting.isEmpty()) {
            context.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Exchange exchange = current;
        if (exchange != null) {
            exchange.flushUpstream();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange exchange = current;
        if (exchange != null) {
            exchange.downstreamWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        plane.connectionClosed();
        Exchange exchange = current;
        current = null;
        if (exchange != null) {
            exchange.onDownstreamClosed();
        }
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && current == null) {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Client connection failed: {}", cause.toString());
        ctx.close();
    }

    private void releaseWaiting() {
        Object msg;
        while ((msg = waiting.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
