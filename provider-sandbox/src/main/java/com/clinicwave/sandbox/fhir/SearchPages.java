package com.clinicwave.sandbox.fhir;

import com.clinicwave.sandbox.config.SandboxProperties;
import com.clinicwave.sandbox.data.ClaimPage;
import com.clinicwave.sandbox.data.SandboxData;
import com.clinicwave.sandbox.provider.Provider;
import com.clinicwave.sandbox.provider.Providers;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code ExplanationOfBenefit} search pages served like static files: each page is rendered (claims generated, the
 * Bundle written by {@link SearchSetJson}, gzip) once, kept in memory, and answered as bytes afterwards. The pages after the one asked for
 * are rendered ahead in the background, so a client following {@code next} links finds them ready; searches named
 * in {@code sandbox.fhir.prerender} are rendered whole after start. A page's key is everything its bytes depend on
 * (provider, patient, the search parameters in order, the page cursor, the data's generation), so a touch of the
 * data makes new pages and the old ones age out; the memory is bounded by bytes (LRU).
 */
@Component
public class SearchPages implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SearchPages.class);

    private final SandboxData data;
    private final SearchSetJson searchSets;
    private final Providers providers;
    private final SandboxProperties.Fhir settings;
    private final ExecutorService renderers;
    private final AsyncCache<Key, Page> pages;

    SearchPages(SandboxData data, SearchSetJson searchSets, Providers providers, SandboxProperties properties) {
        this.data = data;
        this.searchSets = searchSets;
        this.providers = providers;
        this.settings = properties.fhir();
        this.renderers = Executors.newFixedThreadPool(settings.renderThreads(),
                Thread.ofPlatform().name("fhir-render-", 0).daemon().factory());
        this.pages = Caffeine.newBuilder()
                .maximumWeight(settings.pageCacheBytes().toBytes())
                .weigher((Key key, Page page) -> page.gzip().length + 200)
                .executor(renderers)
                .buildAsync();
    }

    /** One rendered search page: the Bundle as gzip, and the cursor of the next page (null on the last). */
    public record Page(byte[] gzip, @Nullable String nextCursor) {

        /** The Bundle's JSON, for clients that do not take gzip. */
        public byte[] json() {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Everything a page's bytes depend on.
     *
     * @param params the supported search parameters as the client sent them, in order ({@code _cursor} excluded)
     */
    record Key(String provider, String patient, List<Map.Entry<String, String>> params, @Nullable String cursor,
            long generation) {

        Key next(String nextCursor) {
            return new Key(provider, patient, params, nextCursor, generation);
        }
    }

    /** The page the search asks for, from memory when rendered before; the next pages are rendered ahead. */
    public Page page(Provider provider, String patient, MultiValueMap<String, String> query) {
        // Invalid parameters fail here, before anything is rendered or cached.
        FhirSearch.parse(query.get("_lastUpdated"), query.getFirst("_count"));
        List<Map.Entry<String, String>> params = new ArrayList<>();
        query.forEach((name, values) -> {
            if (!name.equals("_cursor") && FhirSearch.PARAMETERS.contains(name)) {
                values.forEach(value -> params.add(Map.entry(name, value)));
            }
        });
        Key key = new Key(provider.key(), patient, List.copyOf(params), query.getFirst("_cursor"),
                data.generation());
        try {
            Page page = pages.get(key, this::render).join();
            readAhead(key, page, settings.readAhead());
            return page;
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Renders {@code remaining} pages after {@code page} in the background (those not rendered yet). */
    private void readAhead(Key key, Page page, int remaining) {
        if (remaining <= 0 || page.nextCursor() == null) {
            return;
        }
        Key next = key.next(page.nextCursor());
        pages.get(next, this::render).thenAccept(rendered -> readAhead(next, rendered, remaining - 1));
    }

    /** Renders the searches of {@code sandbox.fhir.prerender} whole, in the background, once the sandbox is up. */
    @EventListener(ApplicationReadyEvent.class)
    void prerender() {
        for (String search : settings.prerender()) {
            String[] parts = search.split(":");
            Provider provider = parts.length == 3 ? providers.find(parts[0]).orElse(null) : null;
            if (provider == null || provider.fhirBase() == null) {
                log.warn("Ignoring sandbox.fhir.prerender entry '{}': want <fhir provider>:<patient>:<count>", search);
                continue;
            }
            // The parameters in the order claims-service sends them.
            Key first = new Key(provider.key(), parts[1], List.of(Map.entry("patient", parts[1]),
                    Map.entry("_count", parts[2])), null, data.generation());
            long started = System.nanoTime();
            pages.get(first, this::render).thenAccept(page -> renderAll(first, page, 1, started));
            log.info("Pre-rendering the ExplanationOfBenefit pages of {} at {} ({} a page) in the background",
                    parts[1], provider.key(), parts[2]);
        }
    }

    private void renderAll(Key key, Page page, int rendered, long started) {
        if (page.nextCursor() == null) {
            log.info("Pre-rendered {} ExplanationOfBenefit pages of {} at {} in {} ms", rendered, key.patient(),
                    key.provider(), (System.nanoTime() - started) / 1_000_000);
            return;
        }
        Key next = key.next(page.nextCursor());
        pages.get(next, this::render).thenAccept(following -> renderAll(next, following, rendered + 1, started));
    }

    private Page render(Key key) {
        Provider provider = providers.requireFhir(key.provider());
        List<String> lastUpdated = key.params().stream().filter(p -> p.getKey().equals("_lastUpdated"))
                .map(Map.Entry::getValue).toList();
        String count = key.params().stream().filter(p -> p.getKey().equals("_count")).map(Map.Entry::getValue)
                .findFirst().orElse(null);
        FhirSearch search = FhirSearch.parse(lastUpdated.isEmpty() ? null : lastUpdated, count);
        ClaimPage page = data.claims(provider.key(), key.patient(), search.from(), search.to(), key.cursor(),
                search.count());
        String self = link(provider, key.params(), null);
        String next = page.nextCursor() == null ? null : link(provider, key.params(), page.nextCursor());
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            searchSets.write(gzip, provider, page, self, next, Instant.now());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Page(out.toByteArray(), page.nextCursor());
    }

    /** A search link on the public base URL: the original parameters, with the page's cursor. */
    private static String link(Provider provider, List<Map.Entry<String, String>> params, @Nullable String cursor) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(provider.fhirBase() + "/ExplanationOfBenefit");
        List<Object> values = new ArrayList<>();
        for (Map.Entry<String, String> param : params) {
            uri.queryParam(param.getKey(), "{v" + values.size() + "}");
            values.add(FhirSearch.restorePlus(param.getKey(), param.getValue()));
        }
        if (cursor != null) {
            uri.queryParam("_cursor", "{v" + values.size() + "}");
            values.add(cursor);
        }
        // Template variables are strictly encoded: a "+" in an offset stays a plus, not a space.
        return uri.encode().buildAndExpand(values.toArray()).toUriString();
    }

    @Override
    public void destroy() {
        renderers.shutdownNow();
    }
}
