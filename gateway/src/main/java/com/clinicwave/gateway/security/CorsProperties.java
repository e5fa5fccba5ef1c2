package com.clinicwave.gateway.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The browser origins (the SPAs) allowed to call the API ({@code clinicwave.gateway.cors.*}); none by default. */
@ConfigurationProperties("clinicwave.gateway.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue("30m") Duration maxAge) {
}
