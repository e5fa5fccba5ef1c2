package com.clinicwave.auth.login.page;

import com.clinicwave.platform.web.ProblemCodes;
import com.clinicwave.platform.web.Problems;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.util.HtmlUtils;

/**
 * The error dispatches of auth-service. People reach this service with a browser (an authorization request with a
 * wrong redirect URI, an expired sign-in), so a browser asking for HTML gets a page in companion-web's look with
 * what to do and the trace id to quote; every other client gets the platform's problem+json, as before. Neither
 * shows exception text.
 */
@Controller
class AuthErrorController implements ErrorController {

    private final Problems problems;

    AuthErrorController(Problems problems) {
        this.problems = problems;
    }

    @RequestMapping(path = "${server.error.path:/error}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> page(HttpServletRequest request) {
        HttpStatus status = status(request);
        ProblemDetail problem = problem(status);
        Object traceId = problem.getProperties() == null ? null : problem.getProperties().get("trace_id");
        String message = switch (status) {
            case BAD_REQUEST -> "The sign-in request was not valid. Go back to the app and start again.";
            case UNAUTHORIZED, FORBIDDEN -> "You are not allowed to do this. Sign in again from the app.";
            case NOT_FOUND -> "There is nothing at this address.";
            case TOO_MANY_REQUESTS -> "Too many attempts. Wait a minute, then try again.";
            default -> status.is5xxServerError() ? "Something went wrong on our side. Please try again in a moment."
                    : "The request could not be completed. Go back to the app and start again.";
        };
        String body = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%1$s · ClinicWave</title>
                <link rel="stylesheet" href="/login/assets/clinicwave.css"></head>
                <body><header class="topbar"><div class="topbar-inner"><span>ClinicWave</span></div></header>
                <main id="main"><div class="card">
                <h1>%1$s</h1>
                <div class="alert alert-error" role="alert">%2$s</div>
                %3$s
                <p>Close this page and open the ClinicWave app again to start over.</p>
                </div></main></body></html>
                """.formatted(HtmlUtils.htmlEscape(title(status)), HtmlUtils.htmlEscape(message),
                traceId == null ? "" : "<p class=\"sub\">If you contact support, quote this reference: <code>"
                        + HtmlUtils.htmlEscape(String.valueOf(traceId)) + "</code></p>");
        return ResponseEntity.status(status).contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .body(body);
    }

    @RequestMapping(path = "${server.error.path:/error}")
    @ResponseBody
    ResponseEntity<ProblemDetail> problem(HttpServletRequest request) {
        HttpStatus status = status(request);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem(status));
    }

    private ProblemDetail problem(HttpStatus status) {
        String detail = status.is5xxServerError() ? "An unexpected error occurred" : status.getReasonPhrase();
        return problems.create(status, ProblemCodes.forStatus(status), detail);
    }

    private static HttpStatus status(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        return code instanceof Integer value && HttpStatus.resolve(value) != null ? HttpStatus.valueOf(value)
                : HttpStatus.INTERNAL_SERVER_ERROR;
    }

    private static String title(HttpStatus status) {
        return status.is5xxServerError() ? "Something went wrong" : status == HttpStatus.NOT_FOUND ? "Page not found"
                : "We could not sign you in";
    }
}
