package com.clinicwave.platform;

import com.netflix.discovery.EurekaClient;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.cloud.netflix.eureka.serviceregistry.EurekaAutoServiceRegistration;

/** Graceful shutdown takes the instance out of Eureka before it drains (see {@link DeregisterBeforeDrain}). */
@AutoConfiguration
@ConditionalOnClass({EurekaAutoServiceRegistration.class, EurekaClient.class})
public class DeregisterBeforeDrainAutoConfiguration {

    @Bean
    DeregisterBeforeDrain deregisterBeforeDrain(ObjectProvider<EurekaAutoServiceRegistration> registration,
            ObjectProvider<EurekaClient> client,
            @Value("${clinicwave.shutdown.deregistration-delay:6s}") Duration delay) {
        return new DeregisterBeforeDrain(registration, client, delay);
    }
}
