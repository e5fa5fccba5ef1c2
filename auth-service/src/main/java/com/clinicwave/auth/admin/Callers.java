package com.clinicwave.auth.admin;

import com.clinicwave.platform.web.ApiException;
import java.util.UUID;
import org.springframework.security.oauth2.jwt.Jwt;

/** The tenant of the user calling an administration endpoint, from the token's {@code tid}. */
public final class Callers {

    private Callers() {
    }

    public static UUID tenant(Jwt jwt) {
        String tid = jwt.getClaimAsString("tid");
        if (tid == null) {
            throw ApiException.forbidden("This operation needs a user token");
        }
        try {
            return UUID.fromString(tid);
        } catch (IllegalArgumentException e) {
            throw ApiException.forbidden("This operation needs a user token");
        }
    }
}
