package com.clinicwave.auth.login.web;

import com.clinicwave.auth.login.PasswordChange;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/auth/password}: a user changes their password by proving the current one (no token needed:
 * an account that must change its password gets no token before). Same throttle, lockout and single answer for
 * every credential failure as the login (401 {@code INVALID_CREDENTIALS}); every live token of the user is revoked.
 */
@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "authentication")
class PasswordController {

    record ChangePassword(@Nullable @Size(max = 63) String tenant, @NotBlank @Size(max = 100) String username,
            @NotBlank @Size(max = 128) String password, @NotBlank @Size(max = 128) String newPassword) {
    }

    private final PasswordChange passwords;

    PasswordController(PasswordChange passwords) {
        this.passwords = passwords;
    }

    @PostMapping("/password")
    @Operation(summary = "Change one's password (required after bootstrap or creation by an administrator)")
    ResponseEntity<Void> change(@Valid @RequestBody ChangePassword request, HttpServletRequest http) {
        passwords.change(request.tenant(), request.username(), request.password(), request.newPassword(),
                http.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }
}
