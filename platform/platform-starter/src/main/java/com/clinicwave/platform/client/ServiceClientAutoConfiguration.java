package com.clinicwave.platform.client;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.autoconfigure.RestClientBuilderConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * {@link ServiceTokens} for services that call others with their own token: present when
 * {@code clinicwave.service-client.client-id} is set. Its client keeps Boot's tracing and JSON settings and has the
 * {@code connect-timeout} / {@code read-timeout} of {@link ServiceClientProperties}.
 */
@AutoConfiguration
@ConditionalOnClass({RestClient.class, RestClientBuilderConfigurer.class})
@EnableConfigurationProperties(ServiceClientProperties.class)
public class ServiceClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "clinicwave.service-client", name = "client-id")
    ServiceTokens serviceTokens(ObjectProvider<RestClientBuilderConfigurer> configurer,
            ServiceClientProperties properties, ObjectProvider<Clock> clock) {
        RestClient.Builder builder = RestClient.builder();
        RestClientBuilderConfigurer c = configurer.getIfAvailable();
        if (c != null) {
            builder = c.configure(builder);
        }
        RestClient http = builder.requestFactory(
                ServiceHttpClients.requestFactory(properties.connectTimeout(), properties.readTimeout())).build();
        return new ServiceTokens(http, properties, clock.getIfAvailable(Clock::systemUTC));
    }
}
