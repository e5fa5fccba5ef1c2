package com.clinicwave.gateway.edge;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Request hygiene at the edge ({@code clinicwave.gateway.edge.*}): identity headers no client may send, the proxies
 * (load balancers, ingress pods) whose {@code X-Forwarded-*} headers are trusted — addresses or CIDR ranges — path
 * prefixes never routed, the body limit, and how long a request body may stall before the request is cut (408).
 */
@ConfigurationProperties("clinicwave.gateway.edge")
public record EdgeProperties(
        @DefaultValue({"X-User-Id", "X-Tenant-Id", "X-Roles", "X-Permissions", "X-Forwarded-User", "X-Auth-User",
            "X-Authenticated-User", "X-Api-Key-Id", "X-Client-Id", "X-Internal-Token"}) List<String> identityHeaders,
        @DefaultValue List<String> trustedProxies,
        @DefaultValue({"/internal", "/actuator"}) List<String> blockedPrefixes,
        @DefaultValue("2MB") DataSize maxBodySize,
        /** The longest pause allowed while a request body is read (before its first byte and between chunks). */
        @DefaultValue("5s") Duration bodyReadTimeout) {
}
