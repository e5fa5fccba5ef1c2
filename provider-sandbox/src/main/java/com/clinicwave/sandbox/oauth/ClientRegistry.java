package com.clinicwave.sandbox.oauth;

import com.clinicwave.sandbox.config.SandboxProperties;
import com.clinicwave.sandbox.provider.Provider;
import com.clinicwave.sandbox.provider.Providers;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/** The one OAuth client each provider knows: {@code clinicwave-<provider>}, or {@code clinicwave-auth} at the IdP. */
@Component
public class ClientRegistry {

    private final Map<String, RegisteredClient> byProvider = new HashMap<>();

    public ClientRegistry(SandboxProperties properties, Providers providers) {
        for (Provider provider : providers.dataProviders()) {
            String key = provider.key();
            SandboxProperties.Client custom = properties.clients().get(key);
            Set<String> redirects = new LinkedHashSet<>(properties.defaultRedirectUris());
            String clientId = "clinicwave-" + key;
            String secret = "sandbox-secret-" + key;
            String jwksUrl = null;
            boolean requirePkce = false;
            if (custom != null) {
                redirects.addAll(custom.redirectUris());
                clientId = custom.clientId() != null ? custom.clientId() : clientId;
                secret = custom.clientSecret() != null ? custom.clientSecret() : secret;
                jwksUrl = custom.jwksUrl() == null || custom.jwksUrl().isBlank() ? null : custom.jwksUrl();
                requirePkce = custom.requirePkce();
            }
            byProvider.put(key, new RegisteredClient(key, clientId, secret, jwksUrl, requirePkce, Set.copyOf(redirects)));
        }
        SandboxProperties.Idp idp = properties.idp();
        byProvider.put(Providers.IDP, new RegisteredClient(Providers.IDP, idp.clientId(), idp.clientSecret(), null,
                false, Set.copyOf(idp.redirectUris())));
    }

    public Optional<RegisteredClient> find(Provider provider, String clientId) {
        RegisteredClient client = byProvider.get(provider.key());
        return client != null && client.clientId().equals(clientId) ? Optional.of(client) : Optional.empty();
    }

    public RegisteredClient of(Provider provider) {
        return byProvider.get(provider.key());
    }
}
