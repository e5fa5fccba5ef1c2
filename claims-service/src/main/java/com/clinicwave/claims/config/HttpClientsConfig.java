package com.clinicwave.claims.config;

import com.clinicwave.platform.client.ServiceClientProperties;
import com.clinicwave.platform.client.ServiceHttpClients;
import com.clinicwave.platform.net.ProviderAddressPolicy;
import com.clinicwave.platform.net.ProviderHttpClients;
import org.springframework.boot.restclient.autoconfigure.RestClientBuilderConfigurer;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Scope;
import org.springframework.web.client.RestClient;

/**
 * Two kinds of outbound HTTP: to other ClinicWave services by Eureka service id (load-balanced, the timeouts of
 * {@code clinicwave.service-client}), and to providers' FHIR servers by plain URL (the timeouts of
 * {@code clinicwave.claims.sync}, the SSRF policy as DNS resolver). auth-service's token endpoint is called by the
 * platform starter's {@code ServiceTokens}. All with timeouts, so a hanging dependency fails a sync instead of
 * blocking it.
 */
@Configuration(proxyBeanMethods = false)
public class HttpClientsConfig {

    @Bean
    @LoadBalanced
    RestClient.Builder loadBalancedRestClientBuilder(RestClientBuilderConfigurer configurer,
            ServiceClientProperties client) {
        return configurer.configure(RestClient.builder()).requestFactory(requestFactory(client));
    }

    /**
     * The plain builder everyone else gets (Eureka's own client among them): without it the load-balanced one is
     * the only RestClient.Builder, and the Eureka client would try to resolve its server's host as a service id.
     */
    @Bean
    @Primary
    @Scope("prototype")
    RestClient.Builder restClientBuilder(RestClientBuilderConfigurer configurer) {
        return configurer.configure(RestClient.builder());
    }

    @Bean
    ServiceHttp serviceHttp(@LoadBalanced RestClient.Builder loadBalancedRestClientBuilder,
            RestClientBuilderConfigurer configurer, ClaimsProperties properties, ServiceClientProperties client) {
        return new ServiceHttp(properties.services().loadBalanced() ? loadBalancedRestClientBuilder
                : configurer.configure(RestClient.builder()).requestFactory(requestFactory(client)));
    }

    private static org.springframework.http.client.ClientHttpRequestFactory requestFactory(
            ServiceClientProperties client) {
        return ServiceHttpClients.requestFactory(client.connectTimeout(), client.readTimeout());
    }

    /**
     * The client for providers' servers (FHIR): the SSRF policy is its DNS resolver, so it connects only to
     * addresses the policy checked (a catalog URL re-pointed at an internal address, or a DNS rebinding, is refused).
     */
    @Bean
    ProviderHttp providerHttp(RestClientBuilderConfigurer configurer, ClaimsProperties properties,
            ProviderAddressPolicy policy) {
        return new ProviderHttp(configurer.configure(RestClient.builder())
                .requestFactory(ProviderHttpClients.requestFactory(policy, properties.sync().connectTimeout(),
                        properties.sync().readTimeout(), 100, 20))
                .build(), policy);
    }

    /** The client for providers' servers, and the policy to check a URL with before using it. */
    public record ProviderHttp(RestClient client, ProviderAddressPolicy policy) {
    }

    /** The builder for calls to other ClinicWave services; {@code clone()} it before setting a base URL. */
    public record ServiceHttp(RestClient.Builder builder) {
    }
}
