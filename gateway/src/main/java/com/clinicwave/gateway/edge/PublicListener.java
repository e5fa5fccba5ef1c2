package com.clinicwave.gateway.edge;

import com.clinicwave.gateway.problem.GatewayProblems;
import com.clinicwave.platform.web.ProblemCodes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * The public listener's Reactor Netty settings beyond Spring Boot's ({@code server.max-http-request-header-size},
 * {@code server.netty.max-initial-line-length}, {@code server.netty.idle-timeout}): a request Netty's decoder refuses
 * — request line over 8 KB (414), headers over 16 KB (431), malformed (400) — is answered with a problem+json
 * ({@code URI_TOO_LONG}, {@code HEADERS_TOO_LARGE}, {@code MALFORMED_REQUEST}) and the connection closed, instead of
 * Reactor Netty's bare status; and {@code gateway.connections} gauges the open client connections.
 */
@Component
class PublicListener implements NettyServerCustomizer {

    private final GatewayProblems problems;
    private final AtomicInteger connections = new AtomicInteger();
    private final DataSize maxHeaderSize;

    PublicListener(GatewayProblems problems, MeterRegistry meters,
            @org.springframework.beans.factory.annotation.Value("${server.max-http-request-header-size:16KB}")
            DataSize maxHeaderSize) {
        this.problems = problems;
        this.maxHeaderSize = maxHeaderSize;
        Gauge.builder("gateway.connections", connections, AtomicInteger::get)
                .description("Open client connections").register(meters);
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server
                .doOnChannelInit((observer, channel, address) -> {
                    if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                        channel.pipeline().addAfter(NettyPipeline.HttpCodec, "clinicwave.decodeFailures",
                                new DecodeFailures());
                    }
                })
                .doOnConnection(connection -> {
                    connections.incrementAndGet();
                    connection.onDispose(connections::decrementAndGet);
                });
    }

    /** Answers a request the HTTP decoder could not read with a problem, then closes the connection. */
    private final class DecodeFailures extends ChannelInboundHandlerAdapter {

        private boolean failed;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (failed) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpRequest request
                    && (request.decoderResult().isFailure() || !isUri(request.uri()))) {
                failed = true;
                Throwable cause = request.decoderResult().cause();
                ReferenceCountUtil.release(msg);
                FullHttpResponse response;
                if (cause == null) {
                    // A request target that is no URI (a broken %-escape, a space, a quote …): WebFlux would
                    // answer a bare 400 before any filter of ours runs.
                    response = problem(HttpStatus.BAD_REQUEST, ProblemCodes.MALFORMED_REQUEST,
                            "The request target is not a valid URI");
                } else if (cause instanceof TooLongHttpHeaderException) {
                    response = problem(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "HEADERS_TOO_LARGE",
                            "The request headers are larger than " + maxHeaderSize.toKilobytes() + " KB");
                } else if (cause instanceof TooLongHttpLineException || cause instanceof TooLongFrameException) {
                    response = problem(HttpStatus.URI_TOO_LONG, "URI_TOO_LONG", "The request line is too long");
                } else {
                    response = problem(HttpStatus.BAD_REQUEST, ProblemCodes.MALFORMED_REQUEST,
                            "The request is malformed");
                }
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.fireChannelRead(msg);
        }

        private static boolean isUri(String target) {
            try {
                new URI(target);
                return true;
            } catch (URISyntaxException e) {
                return false;
            }
        }

        private FullHttpResponse problem(HttpStatus status, String code, String detail) {
            ByteBuf body = Unpooled.wrappedBuffer(problems.bytes(status, code, detail));
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(status.value()), body);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                    .set("X-Content-Type-Options", "nosniff")
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            return response;
        }
    }
}
