package com.clinicwave.auth.admin.web;

import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The administration API refuses a body with a field it does not know (400 {@code VALIDATION_FAILED}) instead of
 * ignoring it: {@code "enabled": false}, {@code "tenant_id"}, {@code "client_secret"} or {@code "grant_types"} sent by
 * mistake or on purpose would otherwise be answered 200/201 as if they had been applied. Only the admin controllers
 * (users, roles, clients, tenants); the rest of the API keeps ignoring unknown fields.
 */
@ControllerAdvice(basePackages = {"com.clinicwave.auth.admin.web", "com.clinicwave.auth.platform.web"})
class UnknownFieldsRefused extends RequestBodyAdviceAdapter {

    private final JsonMapper strict;

    UnknownFieldsRefused(JsonMapper json) {
        this.strict = json.rebuild().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        byte[] body;
        try {
            body = input.getBody().readAllBytes();
        } catch (IOException e) {
            // e.g. larger than the platform's limit: answered as the regular reading would (413)
            throw new HttpMessageNotReadableException("The request body could not be read", e, input);
        }
        try {
            strict.readValue(body, strict.getTypeFactory().constructType(targetType));
        } catch (UnrecognizedPropertyException unknown) {
            // The field's name is the caller's input: not echoed.
            throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "The request has a field this endpoint does not know");
        } catch (JacksonException otherwise) {
            // Malformed or mistyped: the regular reading below answers it.
        }
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return input.getHeaders();
            }
        };
    }
}
