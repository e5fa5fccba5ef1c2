package com.clinicwave.platform.client;

import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.http.client.JdkClientHttpRequestFactory;

/**
 * Request factories for calls to other ClinicWave services and auth-service: the JDK client with a connect and a
 * read timeout and no redirects, so a hanging dependency fails the call instead of holding a thread.
 */
public final class ServiceHttpClients {

    private ServiceHttpClients() {
    }

    public static JdkClientHttpRequestFactory requestFactory(Duration connectTimeout, Duration readTimeout) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
        factory.setReadTimeout(readTimeout);
        return factory;
    }
}
