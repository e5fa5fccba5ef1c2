package com.clinicwave.claims.sources;

import com.clinicwave.claims.config.ClaimsProperties;
import com.clinicwave.claims.config.HttpClientsConfig.ProviderHttp;
import com.clinicwave.platform.net.ProviderAddressPolicy;
import com.clinicwave.claims.sources.ProviderConnectionsClient.ConnectionAccess;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * {@code pipeline-depth} pages ahead, {@code parse-threads} parse them ({@link EobJson}) in parallel, and the calling thread
 * writes them in page order, pages already parsed together. Memory stays bounded by the depth; a failure reaches the
 * writer after the pages before it. Every HTTP call goes through {@link UpstreamResilience}.
 */
@Component
class FhirClaimSource implements ClaimSource {

    private static final Logger log = LoggerFactory.getLogger(FhirClaimSource.class);
    private static final int MAX_PAGES = 100_000;
    /** The end of a sync's pages in the pipeline (compared by identity). */
    private static final List<ClaimData> END = Collections.unmodifiableList(new ArrayList<>());
    private static final JsonMapper JSON = JsonMapper.builder().build();

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

    /** One page's claims, read straight from the JSON ({@link EobJson}; no HAPI model). */
    private static List<ClaimData> parse(String body, @Nullable String patientName, int page, Stages stages) {
        long parsing = System.nanoTime();
        try {
            List<ClaimData> claims;
            try {
                claims = EobJson.claims(body);
            } catch (EobJson.NotABundle e) {
                throw new SyncFailure(SyncFailure.UPSTREAM_INVALID_RESPONSE,
                        "The provider's FHIR server answered with something other than a Bundle (page " + page + ")");
            }
            if (patientName == null) {
                return claims;
            }
            List<ClaimData> named = new ArrayList<>(claims.size());
            for (ClaimData claim : claims) {
                named.add(withPatientName(claim, patientName));
            }
            return named;
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
            return truncate(EobJson.patientName(get(base, uri, token)), 500);
        } catch (RestClientException | ProviderAddressPolicy.RefusedUrlException | CallNotPermittedException | BulkheadFullException e) {
            log.info("Patient resource of connection {} not readable: {}", connectionId, e.getClass().getSimpleName());
            return null;
        }
    }

    private static ClaimData withPatientName(ClaimData claim, String patientName) {
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

    private static @Nullable String truncate(@Nullable String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
