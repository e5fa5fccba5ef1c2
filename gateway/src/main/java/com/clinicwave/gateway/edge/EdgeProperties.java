package com.clinicwave.gateway.edge;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Request hygiene at the edge ({@code clinicwave.gateway.edge.*}): identity headers no client may send, the proxies
 * (load balancers) whose {@code X-Forwarded-*} headers are trusted, path prefixes never routed, and the body limit.
 */
@ConfigurationProperties("clinicwave.gateway.edge")
public record EdgeProperties(
        @DefaultValue({"X-User-Id", "X-Tenant-Id", "X-Roles", "X-Permissions", "X-Forwarded-User", "X-Auth-User",
            "X-Authenticated-User", "X-Api-Key-Id", "X-Client-Id", "X-Internal-Token"}) List<String> identityHeaders,
        @DefaultValue List<String> trustedProxies,
        @DefaultValue({"/internal", "/actuator"}) List<String> blockedPrefixes,
        @DefaultValue("2MB") DataSize maxBodySize) {
}
