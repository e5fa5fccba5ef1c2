package com.clinicwave.claims.config;

import java.net.http.HttpClient;
import org.springframework.boot.restclient.autoconfigure.RestClientBuilderConfigurer;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Scope;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Two kinds of outbound HTTP: to other ClinicWave services by Eureka service id (load-balanced), and to the
 * outside world (auth-service's token endpoint, providers' FHIR servers) by plain URL. Both with timeouts, so a
 * hanging dependency fails a sync instead of blocking it.
 */
@Configuration(proxyBeanMethods = false)
public class HttpClientsConfig {

    @Bean
    @LoadBalanced
    RestClient.Builder loadBalancedRestClientBuilder(RestClientBuilderConfigurer configurer,
            ClaimsProperties properties) {
        return configurer.configure(RestClient.builder()).requestFactory(requestFactory(properties));
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
            RestClientBuilderConfigurer configurer, ClaimsProperties properties) {
        return new ServiceHttp(properties.services().loadBalanced() ? loadBalancedRestClientBuilder
                : configurer.configure(RestClient.builder()).requestFactory(requestFactory(properties)));
    }

    @Bean
    ExternalHttp externalHttp(RestClientBuilderConfigurer configurer, ClaimsProperties properties) {
        return new ExternalHttp(configurer.configure(RestClient.builder()).requestFactory(requestFactory(properties))
                .build());
    }

    static JdkClientHttpRequestFactory requestFactory(ClaimsProperties properties) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(properties.sync().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
        factory.setReadTimeout(properties.sync().readTimeout());
        return factory;
    }

    /** The builder for calls to other ClinicWave services; {@code clone()} it before setting a base URL. */
    public record ServiceHttp(RestClient.Builder builder) {
    }

    /** The client for URLs outside the service registry. */
    public record ExternalHttp(RestClient client) {
    }
}
