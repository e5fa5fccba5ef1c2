package com.clinicwave.gateway.proxy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C trace context for one request: continues the caller's {@code traceparent} when it is valid, else starts a trace
 * (sampled with the configured probability), and gives the gateway hop its own span id, which the service's span
 * takes as parent. Ids and request ids need to be unique, not secret: no SecureRandom on the request path.
 */
record Trace(String traceId, String spanId, String flags, @org.jspecify.annotations.Nullable String parentSpanId) {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static Trace of(String traceparent, double sampling) {
        if (traceparent != null && traceparent.length() == 55 && traceparent.startsWith("00-")
                && traceparent.charAt(35) == '-' && traceparent.charAt(52) == '-' && isHex(traceparent, 3, 35)
                && isHex(traceparent, 36, 52) && isHex(traceparent, 53, 55)
                && !traceparent.regionMatches(3, "00000000000000000000000000000000", 0, 32)) {
            return new Trace(traceparent.substring(3, 35), hex(ThreadLocalRandom.current().nextLong()),
                    traceparent.substring(53, 55), traceparent.substring(36, 52));
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String flags = sampling >= 1.0 || random.nextDouble() < sampling ? "01" : "00";
        return new Trace(hex(random.nextLong()) + hex(random.nextLong()), hex(random.nextLong()), flags, null);
    }

    boolean sampled() {
        return (Character.digit(flags.charAt(1), 16) & 1) == 1;
    }

    /** The gateway hop as a Brave span context, for reporting it to Zipkin. */
    brave.propagation.TraceContext braveContext() {
        return brave.propagation.TraceContext.newBuilder()
                .traceIdHigh(Long.parseUnsignedLong(traceId, 0, 16, 16))
                .traceId(Long.parseUnsignedLong(traceId, 16, 32, 16))
                .parentId(parentSpanId == null ? 0L : Long.parseUnsignedLong(parentSpanId, 16))
                .spanId(Long.parseUnsignedLong(spanId, 16))
                .sampled(true)
                .build();
    }

    String header() {
        return "00-" + traceId + '-' + spanId + '-' + flags;
    }

    /** A random (version 4) UUID, for request ids. */
    static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new java.util.UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    static String hex(long value) {
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        return new String(out);
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
