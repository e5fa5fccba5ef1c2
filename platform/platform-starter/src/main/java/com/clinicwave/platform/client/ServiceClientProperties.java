package com.clinicwave.platform.client;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * This service's own OAuth client at auth-service ({@code clinicwave.service-client.*}, client_credentials) and the
 * timeouts of its calls to other ClinicWave services. The {@link ServiceTokens} bean exists when
 * {@code client-id} is set.
 */
@ConfigurationProperties("clinicwave.service-client")
public record ServiceClientProperties(
        @DefaultValue("http://localhost:9000/oauth2/token") URI tokenUrl,
        @Nullable String clientId,
        @Nullable String clientSecret,
        @Nullable String scope,
        /* A token is renewed this long before it expires (at most half its lifetime). */
        @DefaultValue("30s") Duration refreshMargin,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("5s") Duration readTimeout) {

    @Override
    public String toString() {
        return "ServiceClientProperties[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", clientSecret=***, scope="
                + scope + "]";
    }
}
