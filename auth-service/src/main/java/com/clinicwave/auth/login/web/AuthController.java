package com.clinicwave.auth.login.web;

import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.login.LoginService;
import com.clinicwave.auth.login.Registration;
import com.clinicwave.auth.session.Sessions;
import com.clinicwave.auth.token.AccessTokens;
import com.clinicwave.auth.token.RevokedTokens;
import com.clinicwave.auth.user.Grants;
import com.clinicwave.auth.user.UserAccount;
import com.clinicwave.auth.user.UserRepository;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The first-party identity API (API.md "Identity", seed 002): register, login, refresh, logout, me, sessions. */
@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    record RegisterRequest(@NotBlank @Size(min = 3, max = 64) String username,
            @NotBlank @Size(max = 128) String password, @Nullable @Email @Size(max = 320) String email,
            @Nullable @Size(max = 63) String tenant) {
    }

    /** {@code newPassword}: sets a new password in the same call, for an account that must change it first. */
    record LoginRequest(@NotBlank @Size(max = 100) String username, @NotBlank @Size(max = 128) String password,
            @Nullable @Size(max = 63) String tenant, @Nullable @Size(max = 128) String newPassword) {
    }

    record RefreshRequest(@NotBlank @Size(max = 200) String refreshToken) {
    }

    record TokenResponse(String accessToken, String refreshToken, String tokenType, long expiresIn,
            long refreshExpiresIn, String scope, String sessionId, String idToken) {
    }

    record UserResponse(String id, String tenantId, String tenant, String username, @Nullable String email,
            List<String> roles, List<String> permissions) {
    }

    record SessionResponse(String id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, @Nullable String ip,
            @Nullable String userAgent, boolean current) {
    }

    record SessionsResponse(List<SessionResponse> sessions) {
    }

    private final LoginService logins;
    private final Registration registration;
    private final Sessions sessions;
    private final AccessTokens tokens;
    private final RevokedTokens revoked;
    private final UserRepository users;
    private final AuthProperties properties;

    private final com.clinicwave.auth.login.TenantResolver tenantResolver;
    private final com.clinicwave.auth.login.PasswordChange passwordChange;

    AuthController(LoginService logins, Registration registration, Sessions sessions, AccessTokens tokens,
            RevokedTokens revoked, UserRepository users, AuthProperties properties,
            com.clinicwave.auth.login.TenantResolver tenantResolver, com.clinicwave.auth.login.PasswordChange passwordChange) {
        this.tenantResolver = tenantResolver;
        this.passwordChange = passwordChange;
        this.logins = logins;
        this.registration = registration;
        this.sessions = sessions;
        this.tokens = tokens;
        this.revoked = revoked;
        this.users = users;
        this.properties = properties;
    }

    @PostMapping("/register")
    @ResponseStatus(HttpStatus.CREATED)
    UserResponse register(@Valid @RequestBody RegisterRequest request, HttpServletRequest http) {
        UserAccount user = registration.register(tenantResolver.resolve(request.tenant(), http.getServerName(),
                request.email()), request.username(), request.password(),
                request.email(), http.getRemoteAddr());
        return toResponse(user, users.grants(user.id()));
    }

    @PostMapping("/login")
    TokenResponse login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        // Issue 16: the explicit tenant, else the request's host (tenant domains), else the configured rules.
        String tenant = tenantResolver.resolve(request.tenant(), http.getServerName(), request.username());
        UserAccount user;
        if (request.newPassword() != null && !request.newPassword().isBlank()) {
            passwordChange.change(tenant, request.username(), request.password(), request.newPassword(),
                    http.getRemoteAddr());
            user = logins.authenticate(tenant, request.username(), request.newPassword(), http.getRemoteAddr());
        } else {
            user = logins.authenticate(tenant, request.username(), request.password(), http.getRemoteAddr());
        }
        Sessions.Opened opened = sessions.open(user.id(), user.tenantId(), http.getRemoteAddr(),
                http.getHeader(HttpHeaders.USER_AGENT));
        return issue(user, opened.session(), opened.refreshToken());
    }

    /** Seed 002's "session expired": the refresh token's session ended at its absolute lifetime. */
    static final String SESSION_EXPIRED = "SESSION_EXPIRED";

    @PostMapping("/refresh")
    TokenResponse refresh(@Valid @RequestBody RefreshRequest request) {
        return switch (sessions.rotate(request.refreshToken())) {
            case Sessions.Rotation.Rotated r -> {
                UserRepository.WithGrants user = users.findWithGrants(UUID.fromString(r.session().userId()))
                        .filter(u -> u.user().enabled()).orElse(null);
                if (user == null) {
                    sessions.revoke(r.session().id());
                    throw refreshFailed();
                }
                yield issue(user.user(), user.grants(), r.session(), r.refreshToken());
            }
            case Sessions.Rotation.Reused ignored -> throw new ApiException(HttpStatus.UNAUTHORIZED,
                    ProblemCodes.TOKEN_REVOKED, "The refresh token was already used; the session has been revoked");
            case Sessions.Rotation.Revoked ignored -> throw new ApiException(HttpStatus.UNAUTHORIZED,
                    ProblemCodes.TOKEN_REVOKED, "The session has been revoked");
            case Sessions.Rotation.Expired ignored -> throw new ApiException(HttpStatus.UNAUTHORIZED, SESSION_EXPIRED,
                    "The session reached its absolute lifetime; sign in again");
            case Sessions.Rotation.Unknown ignored -> throw refreshFailed();
        };
    }

    @PostMapping("/logout")
    ResponseEntity<Void> logout(@AuthenticationPrincipal Jwt jwt) {
        String sid = jwt.getClaimAsString("sid");
        if (sid != null) {
            sessions.revoke(sid);
        }
        if (jwt.getId() != null && jwt.getExpiresAt() != null) {
            revoked.revokeToken(jwt.getId(), jwt.getExpiresAt());
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/me")
    UserResponse me(@AuthenticationPrincipal Jwt jwt) {
        UserAccount user = currentUser(jwt);
        return toResponse(user, users.grants(user.id()));
    }

    @GetMapping("/sessions")
    SessionsResponse listSessions(@AuthenticationPrincipal Jwt jwt) {
        UserAccount user = currentUser(jwt);
        String currentSid = jwt.getClaimAsString("sid");
        return new SessionsResponse(sessions.listFor(user.id()).stream()
                .map(s -> new SessionResponse(s.id(), s.createdAt(), s.lastUsedAt(), s.expiresAt(), s.ip(),
                        s.userAgent(), s.id().equals(currentSid)))
                .toList());
    }

    @DeleteMapping("/sessions/{sessionId}")
    ResponseEntity<Void> revokeSession(@AuthenticationPrincipal Jwt jwt, @PathVariable String sessionId) {
        UserAccount user = currentUser(jwt);
        boolean own = sessions.find(sessionId).filter(s -> s.userId().equals(user.id().toString())).isPresent();
        if (!own) {
            throw ApiException.notFound("Session");
        }
        sessions.revoke(sessionId);
        return ResponseEntity.noContent().build();
    }

    private UserAccount currentUser(Jwt jwt) {
        if (jwt.getClaimAsString("tid") == null) {
            throw ApiException.forbidden("This operation needs a user token");
        }
        return users.findById(UUID.fromString(jwt.getSubject()))
                .filter(u -> u.tenantId().toString().equals(jwt.getClaimAsString("tid")))
                .orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED, ProblemCodes.TOKEN_INVALID,
                        "The token's user no longer exists"));
    }

    private TokenResponse issue(UserAccount user, Sessions.Session session, String refreshToken) {
        return issue(user, users.grants(user.id()), session, refreshToken);
    }

    private TokenResponse issue(UserAccount user, Grants grants, Sessions.Session session, String refreshToken) {
        Jwt access = tokens.forSession(user, grants, session.id());
        long refreshExpiresIn = Math.max(0, session.expiresAt().getEpochSecond() - Instant.now().getEpochSecond());
        return new TokenResponse(access.getTokenValue(), refreshToken, "Bearer",
                properties.accessTokenTtl().toSeconds(), refreshExpiresIn, String.join(" ", grants.permissions()),
                session.id(), tokens.idToken(user, grants, session.id()).getTokenValue());
    }

    private static UserResponse toResponse(UserAccount user, Grants grants) {
        return new UserResponse(user.id().toString(), user.tenantId().toString(), user.tenantKey(), user.username(),
                user.email(), grants.roles(), grants.permissions());
    }

    private static ApiException refreshFailed() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "REFRESH_FAILED", "The refresh token is invalid or expired");
    }
}
