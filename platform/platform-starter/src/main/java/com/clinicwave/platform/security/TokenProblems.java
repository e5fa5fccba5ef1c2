package com.clinicwave.platform.security;

import com.clinicwave.platform.web.ProblemCodes;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;

/** Maps a failed bearer authentication to the public error code and a safe description. */
public final class TokenProblems {

    private TokenProblems() {
    }

    public record Verdict(String code, String detail, String bearerError) {
    }

    public static Verdict classify(AuthenticationException ex) {
        if (ex instanceof OAuth2AuthenticationException oauth) {
            String description = oauth.getError().getDescription() == null ? "" : oauth.getError().getDescription();
            String lower = description.toLowerCase();
            if (lower.contains("expired")) {
                return new Verdict(ProblemCodes.TOKEN_EXPIRED, "The access token has expired", "invalid_token");
            }
            if (lower.contains("revoked")) {
                return new Verdict(ProblemCodes.TOKEN_REVOKED, "The access token has been revoked", "invalid_token");
            }
            return new Verdict(ProblemCodes.TOKEN_INVALID, "The access token is invalid", "invalid_token");
        }
        return new Verdict(ProblemCodes.UNAUTHENTICATED, "Authentication is required", null);
    }

    public static String wwwAuthenticate(Verdict verdict) {
        return verdict.bearerError() == null ? "Bearer"
                : "Bearer error=\"" + verdict.bearerError() + "\", error_description=\"" + verdict.detail() + "\"";
    }
}
