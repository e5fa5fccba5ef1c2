package com.clinicwave.platform.net;

import java.net.InetAddress;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The {@link ProviderAddressPolicy} bean, enforced unless {@code clinicwave.provider-urls.enforced} is
 * {@code false} (only {@code deploy/config-repo/application-local.yml} sets it: the sandbox is plain http on
 * localhost).
 */
@AutoConfiguration
@ConditionalOnClass(IpAddressMatcher.class)
public class ProviderUrlsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ProviderAddressPolicy providerAddressPolicy(Environment environment) {
        return new ProviderAddressPolicy(
                environment.getProperty("clinicwave.provider-urls.enforced", Boolean.class, true),
                InetAddress::getAllByName);
    }
}
