package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.clinicwave.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

/**
 * Seed 004 / issue 16: connection changes (provider-connection-service, {@code connection.events}) and claim
 * verification changes (claims-service, {@code claims.events}) land in the tenant's hash-chained audit trail, once
 * per event even when Kafka delivers it twice, readable through the audit API's filters; routine events are not.
 */
class DomainEventsAuditIntegrationTests extends AuthIntegrationTest {

    @Test
    void connectionAndClaimVerificationChangesAreAuditedOnceInTheirTenantsChain() throws Exception {
        JsonNode admin = login("abott", "admin", "abott-admin-password-1");
        String tenant = jdbc.sql("select id::text from tenant where tenant_key = 'abott'").query(String.class).single();
        String user = UUID.randomUUID().toString();
        String connection = UUID.randomUUID().toString();
        String claim = UUID.randomUUID().toString();

        String created = envelope("connection.created", "provider-connection-service", tenant, Map.of(
                "connection_id", connection, "consumer_id", user, "tenant_id", tenant, "provider_key", "athenahealth",
                "status", "active"));
        String refreshed = envelope("connection.refreshed", "provider-connection-service", tenant, Map.of(
                "connection_id", connection, "consumer_id", user, "provider_key", "athenahealth"));
        String verified = envelope("claim.verification_changed", "claims-service", tenant, Map.of("claim_id", claim,
                "connection_id", connection, "consumer_id", user, "tenant_id", tenant, "previous_status", "unverified",
                "verification_status", "disputed"));
        String deleted = envelope("connection.deleted", "provider-connection-service", tenant, Map.of(
                "connection_id", connection, "consumer_id", user, "tenant_id", tenant, "provider_key", "athenahealth"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                TestKafka.get().bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("connection.events", connection, created));
            producer.send(new ProducerRecord<>("connection.events", connection, created)); // redelivered
            producer.send(new ProducerRecord<>("connection.events", connection, refreshed));
            producer.send(new ProducerRecord<>("connection.events", connection, "not json"));
            producer.send(new ProducerRecord<>("claims.events", claim, verified));
            producer.send(new ProducerRecord<>("connection.events", connection, deleted));
            producer.flush();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(audit(admin, "actor=" + user)
                .get("items").size()).isEqualTo(3));
        JsonNode rows = audit(admin, "actor=" + user).get("items");
        assertThat(rows.toString()).contains("connection.created", "connection.deleted", "claim.verification_changed")
                .doesNotContain("connection.refreshed");
        JsonNode claimRow = audit(admin, "action=claim.verification_changed&actor=" + user).get("items");
        assertThat(claimRow.size()).isEqualTo(1);
        assertThat(claimRow.get(0).toString()).contains("claim_id=" + claim).contains("verification_status=disputed")
                .contains("previous_status=unverified");
        assertThat(audit(admin, "action=connection.created&actor=" + user).get("items").get(0).toString())
                .contains("connection_id=" + connection).contains("provider_key=athenahealth");
        String csv = mvc.perform(get("/api/v1/admin/audit?format=csv&action=connection.deleted&actor=" + user)
                .header(HttpHeaders.AUTHORIZATION, bearer(admin))).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(csv).contains("connection.deleted").contains(connection);
        // Appended to the tenant's chain like every other row: the chain still verifies.
        assertThat(body(mvc.perform(get("/api/v1/admin/audit/verify").header(HttpHeaders.AUTHORIZATION, bearer(admin)))
                .andExpect(status().isOk())).get("valid").asBoolean()).isTrue();
    }

    private JsonNode audit(JsonNode admin, String query) throws Exception {
        return body(mvc.perform(get("/api/v1/admin/audit?size=100&" + query).header(HttpHeaders.AUTHORIZATION,
                bearer(admin))).andExpect(status().isOk()));
    }

    private String envelope(String type, String source, String tenant, Map<String, Object> data) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("source", source);
        envelope.put("type", type);
        envelope.put("time", Instant.now().toString());
        envelope.put("subject", data.get("connection_id"));
        envelope.put("tenant", tenant);
        envelope.put("data", data);
        return json.writeValueAsString(envelope);
    }
}
