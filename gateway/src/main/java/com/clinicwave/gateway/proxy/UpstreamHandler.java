package com.clinicwave.gateway.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import org.jspecify.annotations.Nullable;

/** The end of an upstream connection: hands what the service sends to the exchange currently using it. */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private @Nullable Exchange owner;

    void owner(@Nullable Exchange exchange) {
        this.owner = exchange;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Exchange exchange = owner;
        if (exchange == null || !(msg instanceof HttpObject object)) {
            // An idle connection has nothing to say; whatever it sends is discarded and the connection closed.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        exchange.onUpstream(object);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Exchange exchange = owner;
        if (exchange != null) {
            exchange.flushDownstream();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange exchange = owner;
        if (exchange != null) {
            exchange.upstreamWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange exchange = owner;
        owner = null;
        if (exchange != null) {
            exchange.onUpstreamFailure(new ClosedChannelException());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Exchange exchange = owner;
        owner = null;
        ctx.close();
        if (exchange != null) {
            exchange.onUpstreamFailure(cause);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && owner == null) {
            ctx.close();
        }
    }
}
