package com.clinicwave.athena.account.web;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/**
 * Renders the gRPC messages as the HTTP/JSON answers: proto field names as written in the .proto (snake_case),
 * every field present (empty rather than missing), so the two faces cannot drift.
 */
final class ProtoJson {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .preservingProtoFieldNames()
            .alwaysPrintFieldsWithNoPresence()
            .omittingInsignificantWhitespace();

    private ProtoJson() {
    }

    static String render(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("proto message not printable as JSON", e);
        }
    }
}
