package com.clinicwave.claims.claim;

import com.clinicwave.platform.events.OutboxWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Announces a user's change of a claim's verification status ({@code claim.verification_changed} on
 * {@code claims.events}, through the outbox in the change's transaction): auth-service records it in the tenant's
 * audit trail (seed 004, "audit and compliance reporting").
 */
@Component
public class ClaimEvents {

    static final String TOPIC = "claims.events";
    public static final String VERIFICATION_CHANGED = "claim.verification_changed";

    private final OutboxWriter outbox;

    ClaimEvents(OutboxWriter outbox) {
        this.outbox = outbox;
    }

    public void verificationChanged(ClaimView before, String status, String consumerId, @Nullable String tenantId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("claim_id", before.id().toString());
        data.put("connection_id", before.connectionId().toString());
        data.put("consumer_id", consumerId);
        data.put("tenant_id", tenantId);
        data.put("previous_status", before.verificationStatus());
        data.put("verification_status", status);
        outbox.append(TOPIC, VERIFICATION_CHANGED, before.id().toString(), tenantId, data);
    }
}
