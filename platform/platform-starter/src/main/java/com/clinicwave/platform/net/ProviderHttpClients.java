package com.clinicwave.platform.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;

/**
 * Request factories for calls to providers' servers: Apache HttpClient 5 with the {@link ProviderAddressPolicy} as
 * its DNS resolver (a connection goes only to addresses the policy checked, so a host re-pointed at an internal
 * address, or a DNS rebinding, is refused at call time), connect and read timeouts, no redirects, no automatic
 * retries, no cookies. Needs {@code org.apache.httpcomponents.client5:httpclient5} on the service's classpath.
 */
public final class ProviderHttpClients {

    private ProviderHttpClients() {
    }

    public static HttpComponentsClientHttpRequestFactory requestFactory(ProviderAddressPolicy policy,
            Duration connectTimeout, Duration readTimeout, int maxConnections, int maxConnectionsPerHost) {
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new PolicyDnsResolver(policy))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(readTimeout)).build())
                .setMaxConnTotal(maxConnections).setMaxConnPerRoute(maxConnectionsPerHost)
                .build();
        CloseableHttpClient client = HttpClients.custom().setConnectionManager(pool).disableRedirectHandling()
                .disableAutomaticRetries().disableCookieManagement().build();
        HttpComponentsClientHttpRequestFactory factory = new HttpComponentsClientHttpRequestFactory(client);
        factory.setReadTimeout(readTimeout);
        return factory;
    }

    /** Apache HttpClient's resolver, answering only addresses the policy allows. */
    record PolicyDnsResolver(ProviderAddressPolicy policy) implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) {
            return policy.resolve(host);
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
        }
    }
}
