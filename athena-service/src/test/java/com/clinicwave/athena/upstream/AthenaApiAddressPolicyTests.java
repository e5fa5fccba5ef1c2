package com.clinicwave.athena.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clinicwave.athena.config.AthenaProperties;
import com.clinicwave.athena.connections.ConnectionToken;
import com.clinicwave.platform.net.ProviderAddressPolicy;
import com.clinicwave.platform.web.ApiException;
import com.clinicwave.testsupport.LoopbackHttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.RestClient;

/**
 * Issue 13 item 2 for athena-service: the athenahealth API base URL comes from provider-connection-service's catalog
 * (an admin's input), so the shared SSRF policy checks it at call time and is the client's DNS resolver; an internal
 * address is never connected to.
 */
class AthenaApiAddressPolicyTests {

    private final LoopbackHttpServer internal = new LoopbackHttpServer(
            r -> new LoopbackHttpServer.Answer(200, "[{\"patientid\":\"1\"}]"));
    private final AthenaProperties properties = new AthenaProperties(URI.create("http://provider-connection-service"),
            Duration.ofSeconds(30), Duration.ofSeconds(60), null,
            new AthenaProperties.Upstream(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2),
                    Duration.ofSeconds(5), 1, Duration.ofMillis(10), Duration.ofSeconds(1), 1000,
                    Duration.ofSeconds(1), 10, Duration.ZERO, 50, 100, 100, Duration.ofMinutes(1)));
    private final AthenaResilience resilience = new AthenaResilience(properties, new SimpleMeterRegistry());

    @AfterEach
    void stop() {
        internal.close();
        resilience.destroy();
    }

    private AthenaApi api(ProviderAddressPolicy policy) {
        return new AthenaApi(RestClient.builder(), properties, resilience, Clock.systemUTC(), policy);
    }

    private static ConnectionToken token(String apiBaseUrl) {
        return new ConnectionToken("c-1", "u-1", "t-1", "athenahealth", "athenahealth", "connected", "provider-token",
                "Bearer", Instant.now().plusSeconds(3600), apiBaseUrl, "195900", "p-1");
    }

    @Test
    void anInternalApiBaseUrlIsRefusedAndNeverConnectedTo() {
        int port = internal.port();
        ProviderAddressPolicy enforced = new ProviderAddressPolicy(true, host ->
                // "api.athena.example" is re-pointed at this machine after the catalog accepted it.
                host.equals("api.athena.example") ? new InetAddress[] {InetAddress.getLoopbackAddress()}
                        : InetAddress.getAllByName(host));
        for (String base : new String[] {"http://127.0.0.1:" + port + "/api", "https://127.0.0.1:" + port + "/api",
            "https://api.athena.example:" + port + "/api", "https://169.254.169.254/latest"}) {
            assertThatThrownBy(() -> api(enforced).get(token(base), "", Map.of())).as(base)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(HttpStatus.BAD_GATEWAY);
                        assertThat(e.code()).startsWith("PROVIDER_URL_");
                    });
        }
        assertThat(internal.count("")).isZero();

        // The same client without the policy (the local profile) reaches it: the refusal above is the policy's.
        assertThat(api(new ProviderAddressPolicy(false, InetAddress::getAllByName))
                .get(token("http://127.0.0.1:" + port + "/api"), "", Map.of()).isArray()).isTrue();
        assertThat(internal.count("")).isEqualTo(1);
    }
}
