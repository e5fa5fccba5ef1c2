package com.clinicwave.platform.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clinicwave.testsupport.LoopbackHttpServer;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/**
 * Issue 13 item 2 at call time (claims-service's FHIR calls, provider-connection-service's OAuth calls,
 * athena-service's athenahealth calls): the provider client's DNS resolver is the SSRF policy, so a provider URL that
 * points (or is re-pointed by DNS) at an internal address is never connected to.
 */
class ProviderHttpClientsTests {

    private final LoopbackHttpServer internal = new LoopbackHttpServer(
            r -> new LoopbackHttpServer.Answer(200, "{\"resourceType\":\"Bundle\"}"));

    @AfterEach
    void stop() {
        internal.close();
    }

    private static RestClient client(ProviderAddressPolicy policy) {
        return RestClient.builder().requestFactory(ProviderHttpClients.requestFactory(policy, Duration.ofSeconds(2),
                Duration.ofSeconds(5), 10, 5)).build();
    }

    @Test
    void anInternalFhirAddressIsNeverConnectedTo() {
        ProviderAddressPolicy enforced = new ProviderAddressPolicy(true, host -> {
            // "fhir.provider.example" is re-pointed at this machine after the catalog accepted it.
            if (host.equals("fhir.provider.example")) {
                return new InetAddress[] {InetAddress.getLoopbackAddress()};
            }
            return InetAddress.getAllByName(host);
        });
        RestClient client = client(enforced);
        int port = internal.port();
        for (String url : new String[] {"http://127.0.0.1:" + port + "/fhir/Patient/p",
            "http://fhir.provider.example:" + port + "/fhir/Patient/p"}) {
            assertThatThrownBy(() -> client.get().uri(url).retrieve().body(String.class)).as(url)
                    .isInstanceOf(ProviderAddressPolicy.RefusedUrlException.class);
        }
        assertThat(internal.count("")).isZero();
        assertThatThrownBy(() -> enforced.check("https://169.254.169.254/latest/meta-data/"))
                .isInstanceOf(ProviderAddressPolicy.RefusedUrlException.class);
        assertThatThrownBy(() -> enforced.check("http://93.184.215.14/fhir"))
                .isInstanceOf(ProviderAddressPolicy.RefusedUrlException.class);

        // The same client without the policy (the local profile) reaches it: the refusal above is the policy's.
        RestClient local = client(new ProviderAddressPolicy(false, InetAddress::getAllByName));
        assertThat(local.get().uri("http://127.0.0.1:" + port + "/fhir/Patient/p").retrieve().body(String.class))
                .contains("Bundle");
        assertThat(internal.count("")).isEqualTo(1);
    }
}
