package com.clinicwave.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one advice that turns every exception of a servlet service into an RFC 9457 problem with a stable code and
 * the trace id. Unexpected exceptions are logged with their stack trace and answered with a generic 500: their
 * message never reaches the client.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ServletProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ServletProblemHandler.class);

    private final Problems problems;

    public ServletProblemHandler(Problems problems) {
        this.problems = problems;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> handleApiException(ApiException ex) {
        return ResponseEntity.status(ex.status()).body(problems.create(ex.status(), ex.code(), ex.getMessage()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> handleTypeMismatch(MethodArgumentTypeMismatchException ex) {
        ProblemDetail problem = problems.create(HttpStatus.BAD_REQUEST, ProblemCodes.VALIDATION_FAILED,
                "Parameter '" + ex.getName() + "' has an invalid value");
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> handleIllegalArgument(IllegalArgumentException ex) {
        log.debug("Bad request: {}", ex.toString());
        return ResponseEntity.badRequest()
                .body(problems.create(HttpStatus.BAD_REQUEST, ProblemCodes.VALIDATION_FAILED, "The request is invalid"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception ex, HttpServletRequest request) throws Exception {
        if (SecurityExceptions.isSecurityException(ex)) {
            // Let Spring Security's ExceptionTranslationFilter answer with its entry point / access-denied handler.
            throw ex;
        }
        ResponseEntity<ProblemDetail> known = problems.forKnownFailure(ex);
        if (known != null) {
            // The exception's class only: database messages quote the values they refused.
            log.warn("{} on {} {}: {}", known.getBody() == null ? "" : known.getBody().getProperties().get("code"),
                    request.getMethod(), AccessLogFilter.pathForLog(request), ex.getClass().getName());
            return known;
        }
        log.error("Unhandled error on {} {}", request.getMethod(), AccessLogFilter.pathForLog(request), ex);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problems.create(
                HttpStatus.INTERNAL_SERVER_ERROR, ProblemCodes.INTERNAL_ERROR, "An unexpected error occurred"));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
            HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail pd ? pd : ProblemDetail.forStatus(statusCode);
        String code = switch (ex) {
            case MethodArgumentNotValidException invalid -> {
                problem.setDetail("The request has invalid fields");
                problem.setProperty("errors", fieldErrors(invalid.getBindingResult().getFieldErrors()));
                yield ProblemCodes.VALIDATION_FAILED;
            }
            case HandlerMethodValidationException invalid -> {
                problem.setDetail("The request has invalid parameters");
                yield ProblemCodes.VALIDATION_FAILED;
            }
            case HttpMessageNotReadableException unreadable
                    when causedBy(unreadable, RequestGuardFilter.BodyTooLargeException.class) -> {
                problem = problems.create(HttpStatus.CONTENT_TOO_LARGE, ProblemCodes.PAYLOAD_TOO_LARGE,
                        "The request body is too large");
                statusCode = HttpStatus.CONTENT_TOO_LARGE;
                yield ProblemCodes.PAYLOAD_TOO_LARGE;
            }
            case HttpMessageNotReadableException unreadable -> {
                problem.setDetail("The request body is missing or is not valid JSON of the expected shape");
                yield ProblemCodes.MALFORMED_REQUEST;
            }
            default -> ProblemCodes.forStatus(statusCode);
        };
        problems.decorate(problem, code);
        return super.handleExceptionInternal(ex, problem, headers, statusCode, request);
    }

    private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static List<Map<String, String>> fieldErrors(List<FieldError> errors) {
        return errors.stream()
                .map(e -> Map.of("field", e.getField(),
                        "message", e.getDefaultMessage() == null ? "is invalid" : e.getDefaultMessage()))
                .toList();
    }
}
