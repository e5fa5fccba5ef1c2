package com.clinicwave.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rejects hostile requests the servlet container lets through, before any filter or controller reads them:
 * a body larger than {@code clinicwave.web.max-request-body-size} (413, by Content-Length or while a chunked body
 * is read), query or form parameters Tomcat cannot decode (invalid percent-encoding: 400, where Tomcat would throw
 * from the first {@code getParameter} call, deep inside a security filter) and parameters holding a NUL character
 * (400: they end in a PostgreSQL "invalid byte sequence" error otherwise).
 */
public class RequestGuardFilter extends OncePerRequestFilter {

    private final Problems problems;
    private final JsonMapper json;
    private final long maxBodyBytes;

    public RequestGuardFilter(Problems problems, JsonMapper json, DataSize maxBody) {
        this.problems = problems;
        this.json = json;
        this.maxBodyBytes = maxBody.toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            reject(response, HttpStatus.CONTENT_TOO_LARGE, ProblemCodes.PAYLOAD_TOO_LARGE,
                    "The request body is larger than " + maxBodyBytes + " bytes");
            return;
        }
        Map<String, String[]> parameters;
        try {
            parameters = request.getParameterMap();
        } catch (RuntimeException invalid) {
            // Tomcat 11: invalid percent-encoding or too many parameters.
            reject(response, HttpStatus.BAD_REQUEST, ProblemCodes.MALFORMED_REQUEST,
                    "The query string or form parameters are not validly encoded");
            return;
        }
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            if (hasNul(parameter.getKey()) || hasNul(parameter.getValue())) {
                reject(response, HttpStatus.BAD_REQUEST, ProblemCodes.MALFORMED_REQUEST,
                        "A parameter contains a NUL character");
                return;
            }
        }
        String transferEncoding = request.getHeader("Transfer-Encoding");
        boolean chunked = transferEncoding != null && transferEncoding.toLowerCase(java.util.Locale.ROOT).contains("chunked");
        chain.doFilter(chunked ? new LimitedBodyRequest(request, maxBodyBytes) : request, response);
    }

    private static boolean hasNul(String value) {
        return value != null && value.indexOf('\0') >= 0;
    }

    private static boolean hasNul(String[] values) {
        if (values != null) {
            for (String value : values) {
                if (hasNul(value)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void reject(HttpServletResponse response, HttpStatus status, String code, String detail)
            throws IOException {
        ProblemDetail problem = problems.create(status, code, detail);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setHeader("Connection", "close");
        json.writeValue(response.getOutputStream(), ProblemBodies.toMap(problem));
    }

    /** Thrown while a body of unknown length is read past the limit; answered with 413 by the problem handler. */
    public static class BodyTooLargeException extends IOException {
        public BodyTooLargeException(long limit) {
            super("The request body is larger than " + limit + " bytes");
        }
    }

    /** A request whose body (of unknown length: chunked) stops with {@link BodyTooLargeException} past the limit. */
    static final class LimitedBodyRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        LimitedBodyRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream delegate = super.getInputStream();
                stream = new ServletInputStream() {
                    private long count;

                    @Override
                    public int read() throws IOException {
                        int b = delegate.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = delegate.read(buffer, offset, length);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) throws IOException {
                        count += n;
                        if (count > limit) {
                            throw new BodyTooLargeException(limit);
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return delegate.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return delegate.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        delegate.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
