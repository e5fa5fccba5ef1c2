package com.clinicwave.auth.login.page;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** The login form's details: the client address and the tenant the user signs in to. */
public final class TenantAuthenticationDetails extends WebAuthenticationDetails {

    private final @Nullable String tenant;

    public TenantAuthenticationDetails(HttpServletRequest request) {
        super(request);
        this.tenant = request.getParameter("tenant");
    }

    public @Nullable String tenant() {
        return tenant;
    }
}
