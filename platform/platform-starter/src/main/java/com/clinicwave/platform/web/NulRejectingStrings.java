package com.clinicwave.platform.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Refuses JSON strings that hold a NUL character ({@code "\u0000"}). No field of the platform has a use for one,
 * PostgreSQL cannot store one in a text column ("invalid byte sequence for encoding UTF8: 0x00", a 500 before this
 * module), and C-based tools downstream truncate at it. The caller gets a 400 {@code MALFORMED_REQUEST} problem.
 */
public final class NulRejectingStrings {

    private NulRejectingStrings() {
    }

    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("clinicwave-nul-rejecting-strings");
        module.addDeserializer(String.class, new Deserializer());
        return module;
    }

    static final class Deserializer extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String value = super.deserialize(p, ctxt);
            if (value != null && value.indexOf('\0') >= 0) {
                // The message names no value: it may reach a log line.
                return (String) ctxt.reportInputMismatch(this, "A string value contains a NUL character");
            }
            return value;
        }
    }
}
