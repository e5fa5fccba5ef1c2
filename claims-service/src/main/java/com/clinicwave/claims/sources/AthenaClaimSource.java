package com.clinicwave.claims.sources;

import com.clinicwave.platform.client.ServiceTokens;
import com.clinicwave.claims.config.ClaimsProperties;
import com.clinicwave.claims.config.HttpClientsConfig.ServiceHttp;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Claims of athenahealth connections, through athena-service's HTTP/JSON face
 * ({@code GET /api/athena/connections/{id}/claims?page_token=}) with this service's token (scope
 * {@code athena:claims:read}); athena-service holds the provider token. Incremental with {@code updated_since=<cursor>}
 * (the highest {@code last_updated} of the last successful run); the upsert counts what really changed. The mapping
 * follows athena-service's proto {@code Claim} and tolerates athenahealth's own spellings and proto JSON's camelCase;
 * unknown fields are ignored. Every call goes through the {@value UpstreamResilience#ATHENA} policies.
 */
@Component
class AthenaClaimSource implements ClaimSource {

    private static final int MAX_PAGES = 10_000;
    private static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("MM/dd/yyyy");

    private final RestClient client;
    private final ServiceTokens tokens;
    private final JsonMapper json;
    private final ClaimsProperties.Sync settings;
    private final UpstreamResilience resilience;

    AthenaClaimSource(ServiceHttp serviceHttp, ClaimsProperties properties,
            ServiceTokens tokens, JsonMapper json, UpstreamResilience resilience) {
        this.resilience = resilience;
        this.client = serviceHttp.builder().clone().baseUrl(properties.services().athena()).build();
        this.tokens = tokens;
        this.json = json;
        this.settings = properties.sync();
    }

    @Override
    public boolean supports(String providerType) {
        return "athenahealth".equalsIgnoreCase(providerType) || "athena".equalsIgnoreCase(providerType);
    }

    @Override
    public @Nullable String fetch(UUID connectionId, @Nullable String cursor, Consumer<List<ClaimData>> pages) {
        String pageToken = null;
        Instant highest = instant(cursor);
        Set<String> seenTokens = new HashSet<>();
        int page = 0;
        do {
            if (++page > MAX_PAGES) {
                throw new SyncFailure(SyncFailure.UPSTREAM_INVALID_RESPONSE, "athena-service returned too many pages");
            }
            JsonNode body = get(connectionId, cursor, pageToken, page);
            JsonNode items = body.isArray() ? body : first(body, "claims", "items", "results");
            List<ClaimData> claims = new ArrayList<>();
            if (items != null && items.isArray()) {
                for (JsonNode item : items) {
                    ClaimData claim = map(item);
                    if (claim != null) {
                        claims.add(claim);
                        if (claim.sourceLastUpdated() != null
                                && (highest == null || claim.sourceLastUpdated().isAfter(highest))) {
                            highest = claim.sourceLastUpdated();
                        }
                    }
                }
            }
            if (!claims.isEmpty()) {
                pages.accept(claims);
            }
            pageToken = body.isArray() ? null : text(body, "next_page_token", "nextPageToken", "next_token");
            if (pageToken != null && !seenTokens.add(pageToken)) {
                throw new SyncFailure(SyncFailure.UPSTREAM_INVALID_RESPONSE, "athena-service repeated a page token");
            }
        } while (pageToken != null);
        return highest == null ? cursor : highest.toString();
    }

    private JsonNode get(UUID connectionId, @Nullable String cursor, @Nullable String pageToken, int page) {
        try {
            String body = resilience.call(UpstreamResilience.ATHENA,
                    () -> client.get()
                            .uri(b -> {
                                b.path("/api/athena/connections/{id}/claims");
                                b.queryParam("page_size", settings.pageSize());
                                if (cursor != null) {
                                    b.queryParam("updated_since", cursor);
                                }
                                if (pageToken != null) {
                                    b.queryParam("page_token", pageToken);
                                }
                                return b.build(connectionId);
                            })
                            .headers(h -> h.setBearerAuth(SyncFailure.serviceToken(tokens)))
                            .retrieve()
                            .body(String.class));
            return json.readTree(body == null ? "{}" : body);
        } catch (HttpStatusCodeException e) {
            int status = e.getStatusCode().value();
            if (status == 401 && e.getResponseBodyAsString().contains("REAUTH_REQUIRED")) {
                throw new SyncFailure(SyncFailure.REAUTH_REQUIRED,
                        "The athenahealth connection needs the user to sign in again");
            }
            if (status == 401) {
                tokens.invalidate();
            }
            if (status == 404) {
                throw new SyncFailure(SyncFailure.CONNECTION_NOT_FOUND, "athena-service does not know the connection");
            }
            throw new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE,
                    "athena-service failed on page " + page + " (HTTP " + status + ")");
        } catch (RestClientException e) {
            throw new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE, "athena-service could not be reached", e);
        } catch (CallNotPermittedException | BulkheadFullException e) {
            throw UpstreamResilience.refused(e, "athena-service");
        } catch (JacksonException e) {
            throw new SyncFailure(SyncFailure.UPSTREAM_INVALID_RESPONSE, "athena-service answered with invalid JSON");
        }
    }

    static @Nullable ClaimData map(JsonNode item) {
        String id = text(item, "claim_id", "claimid", "claimId", "id");
        if (id == null) {
            return null;
        }
        String type = text(item, "claim_type", "claimType", "claimtype", "type");
        String status = text(item, "status", "claim_status", "claimStatus");
        BigDecimal total = amount(item, "total_charge", "totalCharge", "total_amount", "totalAmount", "totalamount",
                "charge_amount",
                "chargeAmount", "amount");
        BigDecimal share = amount(item, "patient_responsibility", "patientResponsibility", "patientresponsibility",
                "patient_balance",
                "patientBalance", "patient_amount", "patientAmount", "patientoutstandingcharges");
        String currency = text(item, "currency", "currency_code", "currencyCode");
        if (type != null) {
            type = claimKind(type);
        }
        return new ClaimData(truncate(id, 200), type == null ? "medical" : truncate(type.toLowerCase(Locale.ROOT), 50),
                date(text(item, "service_date", "serviceDate", "date_of_service", "dateOfService", "servicedate")),
                truncate(text(item, "provider_name", "providerName", "rendering_provider", "renderingProvider",
                        "provider"), 500),
                truncate(text(item, "patient_name", "patientName"), 500),
                truncate(text(item, "service_description", "serviceDescription", "description", "procedure"), 2000),
                total == null ? BigDecimal.ZERO : total, share == null ? BigDecimal.ZERO : share,
                currency != null && currency.length() == 3 ? currency.toUpperCase(Locale.ROOT) : "USD",
                status == null ? "pending" : truncate(status.toLowerCase(Locale.ROOT), 50),
                instant(text(item, "last_updated", "lastUpdated", "lastupdated", "last_modified", "lastModified")));
    }

    /** athenahealth's and FHIR's claim kinds, in seed 004's words. */
    private static String claimKind(String type) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "professional", "institutional" -> "medical";
            case "oral" -> "dental";
            default -> type;
        };
    }

    private static @Nullable JsonNode first(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && !value.isNull()) {
                return value;
            }
        }
        return null;
    }

    private static @Nullable String text(JsonNode node, String... names) {
        JsonNode value = first(node, names);
        if (value == null || !value.isValueNode()) {
            return null;
        }
        String text = value.asString();
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static @Nullable BigDecimal amount(JsonNode node, String... names) {
        JsonNode value = first(node, names);
        if (value == null) {
            return null;
        }
        if (value.isObject()) {
            value = first(value, "value", "amount", "units");
            if (value == null) {
                return null;
            }
        }
        try {
            return value.isNumber() ? value.decimalValue()
                    : new BigDecimal(value.asString().replace("$", "").replace(",", "").strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static @Nullable LocalDate date(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return value.contains("/") ? LocalDate.parse(value, US_DATE) : LocalDate.parse(value.substring(0, 10));
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    private static @Nullable Instant instant(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static @Nullable String truncate(@Nullable String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
