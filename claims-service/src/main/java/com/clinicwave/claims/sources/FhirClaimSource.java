package com.clinicwave.claims.sources;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import com.clinicwave.claims.config.ClaimsProperties;
import com.clinicwave.claims.config.HttpClientsConfig.ProviderHttp;
import com.clinicwave.platform.net.ProviderAddressPolicy;
import com.clinicwave.claims.sources.ProviderConnectionsClient.ConnectionAccess;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Resource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Claims of FHIR R4 providers: the patient's {@code ExplanationOfBenefit} resources, page by page through the
 * Bundle's {@code next} links, incrementally from the last run's highest {@code meta.lastUpdated}
 * ({@code _lastUpdated=ge<cursor>}; the boundary resources come again and are counted unchanged).
 *
 * <p>A pipeline, so fetching, parsing and writing overlap: a fetcher thread follows the next links and keeps up to
 * {@code pipeline-depth} pages ahead, {@code parse-threads} parse them (HAPI) in parallel, and the calling thread
 * writes them in page order, pages already parsed together. Memory stays bounded by the depth; a failure reaches the
 * writer after the pages before it. Every HTTP call goes through {@link UpstreamResilience}.
 */
@Component
class FhirClaimSource implements ClaimSource {

    private static final Logger log = LoggerFactory.getLogger(FhirClaimSource.class);
    private static final Set<String> PATIENT_SHARE = Set.of("memberliability", "patientpay", "paidbypatient",
            "patientresponsibility", "copay");
    private static final Set<String> SUBMITTED = Set.of("submitted", "billed", "charge", "total");
    private static final int MAX_PAGES = 100_000;
    /** The end of a sync's pages in the pipeline (compared by identity). */
    private static final List<ClaimData> END = Collections.unmodifiableList(new ArrayList<>());
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FhirContext fhir = FhirContext.forR4Cached();
    private final ProviderHttp http;
    private final ProviderConnectionsClient connections;
    private final ClaimsProperties.Sync settings;
    private final UpstreamResilience resilience;
    private final MeterRegistry meters;
    private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

    FhirClaimSource(ProviderHttp http, ProviderConnectionsClient connections, ClaimsProperties properties,
            UpstreamResilience resilience, MeterRegistry meters) {
        this.http = http;
        this.connections = connections;
        this.settings = properties.sync();
        this.resilience = resilience;
        this.meters = meters;
    }

    @Override
    public boolean supports(String providerType) {
        return "fhir".equalsIgnoreCase(providerType);
    }

    @Override
    public @Nullable String fetch(UUID connectionId, @Nullable String cursor, Consumer<List<ClaimData>> pages) {
        ConnectionAccess access = access(connectionId, false);
        if (access.fhirBaseUrl() == null || access.patientId() == null) {
            throw new SyncFailure(SyncFailure.UPSTREAM_INVALID_RESPONSE,
                    "The connection has no FHIR endpoint or patient");
        }
        try {
            http.policy().check(access.fhirBaseUrl());
        } catch (ProviderAddressPolicy.RefusedUrlException e) {
            log.warn("Refused the FHIR base URL of connection {}: {} ({})", connectionId, e.getMessage(), e.code());
            throw new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE, "The provider's FHIR server address is not allowed");
        }
        URI base = URI.create(access.fhirBaseUrl().endsWith("/") ? access.fhirBaseUrl() : access.fhirBaseUrl() + "/");
        UriComponentsBuilder first = UriComponentsBuilder.fromUri(base.resolve("ExplanationOfBenefit"))
                .queryParam("patient", access.patientId())
                .queryParam("_count", settings.pageSize());
        if (cursor != null) {
            first.queryParam("_lastUpdated", "ge" + cursor);
        }
        // The patient's name, read once per sync from their Patient resource: each claim shows it.
        String patientName = patientName(base, access.patientId(), access.accessToken(), connectionId);
        Stages stages = new Stages();
        long started = System.nanoTime();
        BlockingQueue<CompletableFuture<List<ClaimData>>> ready = new ArrayBlockingQueue<>(
                Math.max(1, settings.pipelineDepth()));
        ExecutorService parsers = Executors.newFixedThreadPool(Math.max(1, settings.parseThreads()),
                Thread.ofVirtual().name("fhir-parse-", 0).factory());
        Runnable fetchAll = () -> fetchAll(connectionId, base, first.encode().build().toUri(), access.accessToken(),
                patientName, ready, parsers, stages);
        Thread fetcher = Thread.ofVirtual().name("fhir-fetch-" + connectionId)
                .start(snapshots.captureAll().wrap(fetchAll));
        Instant highest = parseCursor(cursor);
        int claims = 0;
        try {
            List<ClaimData> batch;
            while ((batch = nextBatch(ready, stages)) != END) {
                for (ClaimData claim : batch) {
                    if (claim.sourceLastUpdated() != null
                            && (highest == null || claim.sourceLastUpdated().isAfter(highest))) {
                        highest = claim.sourceLastUpdated();
                    }
                }
                if (!batch.isEmpty()) {
                    long writing = System.nanoTime();
                    pages.accept(batch);
                    stages.write.add(System.nanoTime() - writing);
                    claims += batch.size();
                }
            }
        } finally {
            // A failed write stops the fetcher; either way nothing of this sync stays running.
            fetcher.interrupt();
            parsers.shutdownNow();
            ready.clear();
        }
        stages.record(meters, System.nanoTime() - started);
        log.info("FHIR claims of connection {}: {} claims, {} pages in {} ms (fetch {} ms, parse {} ms on {} threads, "
                + "write {} ms, writer idle {} ms)", connectionId, claims, stages.pages.sum(),
                millis(System.nanoTime() - started), millis(stages.fetch.sum()), millis(stages.parse.sum()),
                settings.parseThreads(), millis(stages.write.sum()), millis(stages.idle.sum()));
        return highest == null ? cursor : highest.toString();
    }

    /**
     * The fetcher: follows the {@code next} links (read from the raw body, so it need not wait for the full parse)
     * and hands every body to the parsers, keeping at most {@code pipeline-depth} pages ahead of the writer. A
     * failure is queued after the pages before it, so the writer commits those first.
     */
    private void fetchAll(UUID connectionId, URI base, URI first, String initialToken, @Nullable String patientName,
            BlockingQueue<CompletableFuture<List<ClaimData>>> ready, ExecutorService parsers, Stages stages) {
        URI next = first;
        String token = initialToken;
        boolean refreshed = false;
        int page = 0;
        try {
            while (next != null) {
                if (++page > MAX_PAGES) {
                    throw new SyncFailure(SyncFailure.UPSTREAM_INVALID_RESPONSE,
                            "The provider returned too many pages");
                }
                String body;
                long fetching = System.nanoTime();
                try {
                    body = get(base, next, token);
                } catch (HttpStatusCodeException e) {
                    if (e.getStatusCode().value() == 401 && !refreshed) {
                        refreshed = true;
                        token = access(connectionId, true).accessToken();
                        page--;
                        continue;
                    }
                    throw failure(e.getStatusCode().value(), page);
                } catch (RestClientException | ProviderAddressPolicy.RefusedUrlException e) {
                    throw new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE,
                            "The provider's FHIR server could not be reached (page " + page + ")", e);
                } catch (CallNotPermittedException | BulkheadFullException e) {
                    throw UpstreamResilience.refused(e, "The provider's FHIR server");
                } finally {
                    stages.fetch.add(System.nanoTime() - fetching);
                }
                stages.pages.increment();
                int number = page;
                next = nextLink(body, base, page);
                ready.put(CompletableFuture.supplyAsync(() -> parse(body, patientName, number, stages), parsers));
            }
            ready.put(CompletableFuture.completedFuture(END));
        } catch (InterruptedException e) {
            // The writer stopped (a failure, or the sync was cancelled): nobody waits for more pages.
        } catch (RuntimeException | Error e) {
            // Whatever stopped the fetcher reaches the writer, which would otherwise wait for the next page forever.
            try {
                ready.put(CompletableFuture.failedFuture(e));
            } catch (InterruptedException stopped) {
                // As above.
            }
        }
    }

    /**
     * The next claims to write, in page order: the next page, plus the pages after it that are already parsed, up
     * to {@code write-batch} claims (fewer, larger transactions while the writer is the slowest stage); {@link #END}
     * after the last page. Throws the failure of the page that failed.
     */
    private List<ClaimData> nextBatch(BlockingQueue<CompletableFuture<List<ClaimData>>> ready, Stages stages) {
        List<ClaimData> batch = await(ready, stages);
        if (batch == END) {
            return END;
        }
        while (batch.size() < settings.writeBatch()) {
            CompletableFuture<List<ClaimData>> head = ready.peek();
            if (head == null || !head.isDone() || head.isCompletedExceptionally() || head.join() == END) {
                break;
            }
            ready.poll();
            List<ClaimData> merged = new ArrayList<>(batch.size() + head.join().size());
            merged.addAll(batch);
            merged.addAll(head.join());
            batch = merged;
        }
        return batch;
    }

    private static List<ClaimData> await(BlockingQueue<CompletableFuture<List<ClaimData>>> ready, Stages stages) {
        long waiting = System.nanoTime();
        try {
            return ready.take().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE, "The sync was interrupted");
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            stages.idle.add(System.nanoTime() - waiting);
        }
    }

    /** One page's claims; a parser per call (HAPI's are cheap and not thread-safe). */
    private List<ClaimData> parse(String body, @Nullable String patientName, int page, Stages stages) {
        long parsing = System.nanoTime();
        try {
            Bundle bundle;
            try {
                bundle = fhir.newJsonParser().parseResource(Bundle.class, body);
            } catch (DataFormatException | ClassCastException e) {
                throw new SyncFailure(SyncFailure.UPSTREAM_INVALID_RESPONSE,
                        "The provider's FHIR server answered with something other than a Bundle (page " + page + ")");
            }
            List<ClaimData> claims = new ArrayList<>(bundle.getEntry().size());
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.getResource() instanceof ExplanationOfBenefit eob) {
                    ClaimData claim = withPatientName(map(eob), patientName);
                    if (claim != null) {
                        claims.add(claim);
                    }
                }
            }
            return claims;
        } finally {
            stages.parse.add(System.nanoTime() - parsing);
        }
    }

    /** provider-connection-service's token for the connection, under its Resilience4j policies. */
    private ConnectionAccess access(UUID connectionId, boolean forceRefresh) {
        try {
            return resilience.call(UpstreamResilience.CONNECTIONS,
                    () -> connections.accessToken(connectionId, forceRefresh));
        } catch (CallNotPermittedException | BulkheadFullException e) {
            throw UpstreamResilience.refused(e, "provider-connection-service");
        }
    }

    /**
     * The display name of the connection's patient from {@code Patient/<id>}, or null when it cannot be read: the
     * name is a nicety, so its failure never fails the sync (the claims then keep the EOB's patient display).
     */
    private @Nullable String patientName(URI base, String patientId, String token, UUID connectionId) {
        try {
            URI uri = UriComponentsBuilder.fromUri(base.resolve("Patient/")).path("{id}").buildAndExpand(patientId)
                    .encode().toUri();
            Patient patient = fhir.newJsonParser().parseResource(Patient.class, get(base, uri, token));
            return truncate(displayName(patient), 500);
        } catch (RestClientException | DataFormatException | ClassCastException
                | ProviderAddressPolicy.RefusedUrlException | CallNotPermittedException | BulkheadFullException e) {
            log.info("Patient resource of connection {} not readable: {}", connectionId, e.getClass().getSimpleName());
            return null;
        }
    }

    /** The name a person goes by: the {@code usual} name, else {@code official}, else the first; text or parts. */
    static @Nullable String displayName(Patient patient) {
        List<HumanName> names = patient.getName();
        if (names.isEmpty()) {
            return null;
        }
        HumanName chosen = names.stream().filter(n -> n.getUse() == HumanName.NameUse.USUAL).findFirst()
                .or(() -> names.stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL).findFirst())
                .orElse(names.getFirst());
        if (chosen.hasText() && !chosen.getText().isBlank()) {
            return chosen.getText().strip();
        }
        String given = chosen.getGiven().stream().map(g -> g.getValue()).filter(Objects::nonNull)
                .collect(Collectors.joining(" "));
        String full = (given + " " + (chosen.getFamily() == null ? "" : chosen.getFamily())).strip();
        return full.isEmpty() ? null : full;
    }

    private static @Nullable ClaimData withPatientName(@Nullable ClaimData claim, @Nullable String patientName) {
        if (claim == null || patientName == null) {
            return claim;
        }
        return new ClaimData(claim.providerClaimId(), claim.claimType(), claim.serviceDate(), claim.providerName(),
                patientName, claim.serviceDescription(), claim.totalAmount(), claim.patientResponsibility(),
                claim.currency(), claim.status(), claim.sourceLastUpdated());
    }

    private String get(URI base, URI uri, String token) {
        return resilience.fhir(base, () -> {
            String body = http.client().get()
                    .uri(uri)
                    .header("Accept", "application/fhir+json, application/json")
                    .headers(h -> h.setBearerAuth(token))
                    .retrieve()
                    .body(String.class);
            return body == null ? "" : body;
        });
    }

    private static SyncFailure failure(int status, int page) {
        if (status == 401 || status == 403) {
            return new SyncFailure(SyncFailure.REAUTH_REQUIRED,
                    "The provider refused the connection's token (HTTP " + status + ")");
        }
        if (status == 429 || status >= 500) {
            return new SyncFailure(SyncFailure.UPSTREAM_UNAVAILABLE,
                    "The provider's FHIR server failed on page " + page + " (HTTP " + status + ")");
        }
        return new SyncFailure(SyncFailure.UPSTREAM_INVALID_RESPONSE,
                "The provider's FHIR server rejected the request on page " + page + " (HTTP " + status + ")");
    }

    /**
     * The Bundle's {@code next} link, read with a streaming parser that stops after {@code link} (servers write it
     * before the entries), only on the same server: a provider's token never goes to another host.
     */
    static @Nullable URI nextLink(String body, URI base, int page) {
        String url;
        try (JsonParser json = JSON.createParser(body)) {
            url = nextUrl(json);
        } catch (JacksonException e) {
            throw new SyncFailure(SyncFailure.UPSTREAM_INVALID_RESPONSE,
                    "The provider's FHIR server answered with something other than a Bundle (page " + page + ")");
        }
        if (url == null || url.isBlank()) {
            return null;
        }
        URI next = base.resolve(url);
        if (!Objects.equals(next.getScheme(), base.getScheme()) || !Objects.equals(next.getHost(), base.getHost())
                || next.getPort() != base.getPort()) {
            throw new SyncFailure(SyncFailure.UPSTREAM_INVALID_RESPONSE,
                    "The provider's next link points to another server");
        }
        return next;
    }

    private static @Nullable String nextUrl(JsonParser json) {
        if (json.nextToken() != JsonToken.START_OBJECT) {
            throw new SyncFailure(SyncFailure.UPSTREAM_INVALID_RESPONSE, "The provider's answer is not a Bundle");
        }
        while (json.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = json.currentName();
            if (json.nextToken() == JsonToken.START_ARRAY && "link".equals(name)) {
                String next = null;
                while (json.nextToken() == JsonToken.START_OBJECT) {
                    String relation = null;
                    String url = null;
                    while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                        String field = json.currentName();
                        if (json.nextToken() == JsonToken.VALUE_STRING && "relation".equals(field)) {
                            relation = json.getString();
                        } else if (json.currentToken() == JsonToken.VALUE_STRING && "url".equals(field)) {
                            url = json.getString();
                        } else {
                            json.skipChildren();
                        }
                    }
                    if (next == null && "next".equals(relation)) {
                        next = url;
                    }
                }
                return next;
            }
            json.skipChildren();
        }
        return null;
    }

    /** Time spent per stage of one sync, summed over pages (parse over its threads). */
    private static final class Stages {
        final LongAdder pages = new LongAdder();
        final LongAdder fetch = new LongAdder();
        final LongAdder parse = new LongAdder();
        final LongAdder write = new LongAdder();
        final LongAdder idle = new LongAdder();

        /** {@code claims_sync_stage_seconds{stage}}: where a sync's time went (fetch and parse overlap the write). */
        void record(MeterRegistry meters, long wallNanos) {
            stage(meters, "fetch", fetch.sum());
            stage(meters, "parse", parse.sum());
            stage(meters, "write", write.sum());
            stage(meters, "writer_idle", idle.sum());
            stage(meters, "wall", wallNanos);
        }

        private static void stage(MeterRegistry meters, String stage, long nanos) {
            Timer.builder("claims.sync.stage").description("Time a FHIR sync spent per pipeline stage")
                    .tag("stage", stage).register(meters).record(Duration.ofNanos(nanos));
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    static @Nullable Instant parseCursor(@Nullable String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            return Instant.parse(cursor);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static @Nullable ClaimData map(ExplanationOfBenefit eob) {
        String id = eob.getIdElement().getIdPart();
        if (id == null || id.isBlank()) {
            log.debug("Skipping an ExplanationOfBenefit without id");
            return null;
        }
        Money total = amount(eob, SUBMITTED);
        if (total == null) {
            total = sumOfItems(eob);
        }
        Money patientShare = amount(eob, PATIENT_SHARE);
        String currency = currency(total, patientShare);
        Instant lastUpdated = eob.getMeta().getLastUpdated() == null ? null
                : eob.getMeta().getLastUpdated().toInstant();
        return new ClaimData(truncate(id, 200), claimType(eob), serviceDate(eob),
                truncate(providerName(eob), 500), truncate(blankToNull(eob.getPatient().getDisplay()), 500),
                description(eob), value(total), value(patientShare), currency, status(eob), lastUpdated);
    }

    private static String claimType(ExplanationOfBenefit eob) {
        for (org.hl7.fhir.r4.model.Extension extension : eob.getExtension()) {
            if (extension.getUrl() != null && extension.getUrl().endsWith("/claim-kind")
                    && extension.getValue() instanceof org.hl7.fhir.r4.model.PrimitiveType<?> code
                    && code.getValueAsString() != null && !code.getValueAsString().isBlank()) {
                return truncate(code.getValueAsString().toLowerCase(Locale.ROOT), 50);
            }
        }
        return claimType(eob.getType());
    }

    private static String claimType(CodeableConcept type) {
        String code = type.getCodingFirstRep().getCode();
        if (code == null) {
            return "medical";
        }
        return switch (code.toLowerCase(Locale.ROOT)) {
            case "oral" -> "dental";
            case "vision" -> "vision";
            case "pharmacy" -> "pharmacy";
            default -> "medical";
        };
    }

    private static @Nullable LocalDate serviceDate(ExplanationOfBenefit eob) {
        LocalDate date = date(eob.getBillablePeriod().getStartElement());
        if (date == null) {
            for (ExplanationOfBenefit.ItemComponent item : eob.getItem()) {
                if (item.hasServicedDateType()) {
                    date = date(item.getServicedDateType().getValueAsString());
                } else if (item.hasServicedPeriod()) {
                    date = date(item.getServicedPeriod().getStartElement());
                }
                if (date != null) {
                    break;
                }
            }
        }
        return date != null ? date : date(eob.getCreatedElement().getValueAsString());
    }

    private static @Nullable LocalDate date(DateTimeType value) {
        return value == null ? null : date(value.getValueAsString());
    }

    private static @Nullable LocalDate date(@Nullable String value) {
        if (value == null || value.length() < 10) {
            return null;
        }
        try {
            return LocalDate.parse(value.substring(0, 10));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static @Nullable String providerName(ExplanationOfBenefit eob) {
        String display = blankToNull(eob.getProvider().getDisplay());
        if (display != null) {
            return display;
        }
        String reference = eob.getProvider().getReference();
        if (reference != null && reference.startsWith("#")) {
            for (Resource contained : eob.getContained()) {
                if (reference.substring(1).equals(contained.getIdElement().getIdPart())) {
                    if (contained instanceof Organization org) {
                        return blankToNull(org.getName());
                    }
                    if (contained instanceof Practitioner practitioner && practitioner.hasName()) {
                        return blankToNull(practitioner.getNameFirstRep().getNameAsSingleString());
                    }
                }
            }
        }
        return blankToNull(eob.getFacility().getDisplay());
    }

    private static @Nullable String description(ExplanationOfBenefit eob) {
        String joined = eob.getItem().stream()
                .map(item -> {
                    CodeableConcept service = item.getProductOrService();
                    if (service.hasText()) {
                        return service.getText();
                    }
                    return service.getCoding().stream().map(Coding::getDisplay).filter(Objects::nonNull).findFirst()
                            .orElse(null);
                })
                .filter(Objects::nonNull)
                .distinct()
                .collect(Collectors.joining("; "));
        return joined.isBlank() ? null : truncate(joined, 2000);
    }

    private static String status(ExplanationOfBenefit eob) {
        // Providers that carry the business status of the claim (submitted, pending, paid, adjusted, denied) in an
        // extension (the sandbox does): take it as is.
        for (org.hl7.fhir.r4.model.Extension extension : eob.getExtension()) {
            if (extension.getUrl() != null && extension.getUrl().endsWith("/claim-status")
                    && extension.getValue() instanceof org.hl7.fhir.r4.model.PrimitiveType<?> code
                    && code.getValueAsString() != null && !code.getValueAsString().isBlank()) {
                return truncate(code.getValueAsString().toLowerCase(Locale.ROOT), 50);
            }
        }
        if (eob.hasStatus()) {
            switch (eob.getStatus()) {
                case CANCELLED, ENTEREDINERROR -> {
                    return "cancelled";
                }
                case DRAFT -> {
                    return "pending";
                }
                default -> {
                }
            }
        }
        if (!eob.hasOutcome()) {
            return "pending";
        }
        return switch (eob.getOutcome()) {
            case COMPLETE -> "processed";
            case PARTIAL -> "partially_processed";
            case ERROR -> "denied";
            default -> "pending";
        };
    }

    private static @Nullable Money amount(ExplanationOfBenefit eob, Set<String> categories) {
        for (ExplanationOfBenefit.TotalComponent total : eob.getTotal()) {
            for (Coding coding : total.getCategory().getCoding()) {
                if (coding.getCode() != null && categories.contains(coding.getCode().toLowerCase(Locale.ROOT))
                        && total.getAmount().hasValue()) {
                    return total.getAmount();
                }
            }
        }
        return null;
    }

    private static @Nullable Money sumOfItems(ExplanationOfBenefit eob) {
        BigDecimal sum = null;
        String currency = null;
        for (ExplanationOfBenefit.ItemComponent item : eob.getItem()) {
            if (item.getNet().hasValue()) {
                sum = sum == null ? item.getNet().getValue() : sum.add(item.getNet().getValue());
                currency = currency == null ? item.getNet().getCurrency() : currency;
            }
        }
        return sum == null ? null : new Money().setValue(sum).setCurrency(currency);
    }

    private static BigDecimal value(@Nullable Money money) {
        return money == null || money.getValue() == null ? BigDecimal.ZERO : money.getValue();
    }

    private static String currency(@Nullable Money total, @Nullable Money share) {
        String currency = total != null && total.hasCurrency() ? total.getCurrency()
                : share != null && share.hasCurrency() ? share.getCurrency() : "USD";
        return currency.length() == 3 ? currency.toUpperCase(Locale.ROOT) : "USD";
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static @Nullable String truncate(@Nullable String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
