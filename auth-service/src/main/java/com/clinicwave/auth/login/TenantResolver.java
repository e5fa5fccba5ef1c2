package com.clinicwave.auth.login;

import com.clinicwave.auth.config.AuthProperties;
import com.clinicwave.auth.tenant.Tenant;
import com.clinicwave.auth.tenant.TenantAdministration;
import com.clinicwave.auth.tenant.TenantRepository;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Which tenant a login, the sign-in page or a registration is for (issue 16), in this order:
 * <ol>
 * <li>the explicit {@code tenant} (JSON field, {@code ?tenant=}, the sign-in form's hidden field) — API clients;</li>
 * <li>the host the request was made to: the {@code Host} the gateway preserves, or {@code X-Forwarded-Host} when the
 * request comes from a trusted proxy (Tomcat's remote IP valve, {@code server.forward-headers-strategy: native}),
 * looked up in the tenants' domains ({@code abott.localhost} → {@code abott});</li>
 * <li>with {@code clinicwave.auth.tenant-resolution.email-domain: true}, the domain of the email address given (the
 * registration's {@code email}, or a username that is an email address);</li>
 * <li>the default tenant ({@code clinicwave.auth.default-tenant}).</li>
 * </ol>
 * A host or email domain that no enabled tenant has falls through to the next rule; an unknown explicit key is kept
 * (and answered like any unknown user).
 */
@Component
public class TenantResolver {

    /** {@code emailDomain}: also pick the tenant from the email address's domain (off by default). */
    @ConfigurationProperties("clinicwave.auth.tenant-resolution")
    public record Properties(@DefaultValue("false") boolean emailDomain) {
    }

    private final TenantRepository tenants;
    private final AuthProperties auth;
    private final Properties properties;

    TenantResolver(TenantRepository tenants, AuthProperties auth, Properties properties) {
        this.tenants = tenants;
        this.auth = auth;
        this.properties = properties;
    }

    public String resolve(@Nullable String explicit, @Nullable String host, @Nullable String email) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String byHost = byDomain(host);
        if (byHost != null) {
            return byHost;
        }
        if (properties.emailDomain() && email != null) {
            int at = email.lastIndexOf('@');
            String byEmail = at > 0 ? byDomain(email.substring(at + 1)) : null;
            if (byEmail != null) {
                return byEmail;
            }
        }
        return auth.defaultTenant();
    }

    private @Nullable String byDomain(@Nullable String host) {
        if (host == null || host.isBlank() || host.length() > 253) {
            return null;
        }
        String domain = TenantAdministration.normalizeDomain(host);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if (!TenantAdministration.DOMAIN.matcher(domain).matches()) {
            return null;
        }
        return tenants.findEnabledByDomain(domain.toLowerCase(Locale.ROOT)).map(Tenant::key).orElse(null);
    }
}
