package com.clinicwave.claims.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.boot.restclient.autoconfigure.RestClientBuilderConfigurer;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Scope;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
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

    /**
     * The client for providers' servers (FHIR): the SSRF policy is its DNS resolver, so it connects only to
     * addresses the policy checked (a catalog URL re-pointed at an internal address, or a DNS rebinding, is refused).
     */
    @Bean
    ProviderHttp providerHttp(RestClientBuilderConfigurer configurer, ClaimsProperties properties,
            ProviderAddressPolicy policy) {
        return new ProviderHttp(configurer.configure(RestClient.builder())
                .requestFactory(providerRequestFactory(properties, policy)).build(), policy);
    }

    /** Apache HttpClient 5 with the policy as its DNS resolver, no redirects, no automatic retries. */
    public static HttpComponentsClientHttpRequestFactory providerRequestFactory(ClaimsProperties properties,
            ProviderAddressPolicy policy) {
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new DnsResolver() {
                    @Override
                    public InetAddress[] resolve(String host) {
                        return policy.resolve(host);
                    }

                    @Override
                    public String resolveCanonicalHostname(String host) throws UnknownHostException {
                        return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
                    }
                })
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(properties.sync().connectTimeout()))
                        .setSocketTimeout(Timeout.of(properties.sync().readTimeout())).build())
                .setMaxConnTotal(100).setMaxConnPerRoute(20)
                .build();
        CloseableHttpClient client = HttpClients.custom().setConnectionManager(pool).disableRedirectHandling()
                .disableAutomaticRetries().disableCookieManagement().build();
        HttpComponentsClientHttpRequestFactory factory = new HttpComponentsClientHttpRequestFactory(client);
        factory.setReadTimeout(properties.sync().readTimeout());
        return factory;
    }

    /** The client for providers' servers, and the policy to check a URL with before using it. */
    public record ProviderHttp(RestClient client, ProviderAddressPolicy policy) {
    }

    /** The builder for calls to other ClinicWave services; {@code clone()} it before setting a base URL. */
    public record ServiceHttp(RestClient.Builder builder) {
    }

    /** The client for URLs outside the service registry that are not providers' (auth-service's token endpoint). */
    public record ExternalHttp(RestClient client) {
    }
}
