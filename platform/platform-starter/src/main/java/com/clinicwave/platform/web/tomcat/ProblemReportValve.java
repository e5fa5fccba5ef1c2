package com.clinicwave.platform.web.tomcat;

import com.clinicwave.platform.web.ProblemCodes;
import com.clinicwave.platform.web.Problems;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * Replaces Tomcat's HTML error page. Tomcat answers some requests itself, before Spring's dispatcher ever sees them
 * (invalid percent-encoding, characters the request line may not hold, oversized headers, a URI it cannot
 * normalise); it then renders its host's {@link ErrorReportValve}. This one writes the platform's RFC 9457 problem
 * instead: a fixed body per status with a stable {@code code}, no echo of the request, no server or framework name.
 */
public class ProblemReportValve extends ErrorReportValve {

    private static final Logger log = LoggerFactory.getLogger(ProblemReportValve.class);

    public ProblemReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status == 505 && response.getContentWritten() == 0 && !response.isCommitted()) {
            // An unknown protocol version is the client's mistake, not a server failure.
            response.setStatus(400);
            status = 400;
        }
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        if (throwable != null) {
            // Never shown to the caller; its message may hold the request's bytes.
            log.debug("Request rejected by the servlet container with {}: {}", status, throwable.toString());
        }
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body(status));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away or the response is already committed: nothing more can be said.
        }
    }

    /** A constant body per status: nothing from the request, which may be hostile, is echoed. */
    static String body(int status) {
        HttpStatus resolved = HttpStatus.resolve(status);
        String code = ProblemCodes.forStatus(resolved != null ? resolved : HttpStatus.valueOf(500));
        String title = resolved != null ? resolved.getReasonPhrase() : "Error";
        String detail = switch (status) {
            case 400 -> "The request could not be understood: its request line, path or headers are malformed";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 413 -> "The request is too large";
            case 414 -> "The request URI is too long";
            case 431 -> "The request headers are too large";
            default -> status >= 500 ? "An unexpected error occurred" : title;
        };
        return "{\"type\":\"" + Problems.TYPE_BASE + code.toLowerCase().replace('_', '-') + "\",\"title\":\""
                + title + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\",\"code\":\"" + code + "\"}";
    }
}
