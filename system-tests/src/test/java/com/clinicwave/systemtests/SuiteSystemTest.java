package com.clinicwave.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import static org.assertj.core.api.Assertions.assertThat;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the whole-suite tests: the suite runs (see {@link RunningSuite}), and tests talk to it as a client would,
 * through the gateway at {@link #GATEWAY}.
 */
@ExtendWith(RunningSuite.class)
public abstract class SuiteSystemTest {

    protected static final String GATEWAY = System.getenv().getOrDefault("CLINICWAVE_GATEWAY_URL",
            "http://localhost:8080");
    protected static final String EUREKA = "http://localhost:8761";
    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    protected static HttpResponse<String> get(String url, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder.build());
    }

    protected static HttpResponse<String> postJson(String url, Object body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder.build());
    }

    protected static HttpResponse<String> postForm(String url, Map<String, String> form, String... headers) {
        String body = form.entrySet().stream()
                .map(e -> java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8) + "="
                        + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder.build());
    }

    /**
     * Credential endpoints are limited per client address (20/min at the gateway, and auth-service's own login
     * throttle). The suite's tests sign in far more often than one person, so their credential requests come from
     * several loopback addresses (127.0.0.2 …), each a client of its own to the gateway — as distinct people would.
     */
    private static final List<HttpClient> CREDENTIAL_CLIENTS = java.util.stream.IntStream.rangeClosed(2, 41)
            .mapToObj(i -> {
                try {
                    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .localAddress(java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i}))
                            .build();
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_CLIENT =
            new java.util.concurrent.atomic.AtomicInteger();
    private static final List<String> CREDENTIAL_PATHS = List.of("/api/v1/auth/login", "/api/v1/auth/register",
            "/api/v1/auth/refresh", "/api/v1/auth/password", "/oauth2/token");

    private static HttpClient clientFor(HttpRequest request) {
        String path = request.uri().getPath();
        boolean local = "localhost".equals(request.uri().getHost()) || "127.0.0.1".equals(request.uri().getHost());
        if (local && CREDENTIAL_PATHS.contains(path)) {
            return CREDENTIAL_CLIENTS.get(Math.floorMod(NEXT_CLIENT.getAndIncrement(), CREDENTIAL_CLIENTS.size()));
        }
        return HTTP;
    }

    protected static HttpResponse<String> send(HttpRequest request) {
        try {
            return clientFor(request).send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** A service's log file of the running suite (JSON lines). */
    protected static String log(String service) {
        try {
            return Files.readString(RunningSuite.RUN_DIR.resolve("logs").resolve(service + ".log"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static Path runDir() {
        return RunningSuite.RUN_DIR;
    }

    /**
     * The connect flow through the gateway with the sandbox's automation shortcut (initiate with the current terms,
     * approve as the given sandbox patient, follow the callback with the initiator's bearer token); answers the new
     * connection's id.
     */
    protected static String connectWithSandbox(String provider, String patient, String bearer, String userId) {
        JsonNode terms = json(get(GATEWAY + "/api/providers/" + provider + "/terms", "Authorization", bearer));
        Map<String, Object> initiate = new LinkedHashMap<>();
        initiate.put("provider_key", provider);
        initiate.put("consumer_id", userId);
        initiate.put("redirect_url", "http://localhost:8080/");
        if (!terms.path("version").asString().isEmpty()) {
            initiate.put("accepted_terms_version", terms.path("version").asString());
        }
        HttpResponse<String> initiated = postJson(GATEWAY + "/api/oauth/initiate", initiate, "Authorization", bearer);
        assertThat(initiated.statusCode()).as(initiated.body()).isEqualTo(200);
        String oauthUrl = json(initiated).path("oauth_url").asString();

        HttpResponse<String> consent = send(HttpRequest.newBuilder(URI.create(oauthUrl
                + "&sandbox_patient=" + patient + "&sandbox_decision=approve"))
                .timeout(Duration.ofSeconds(30)).GET().build());
        assertThat(consent.statusCode()).as(consent.body()).isBetween(300, 399);
        String callback = consent.headers().firstValue("Location").orElseThrow();

        // The API client's path: the callback with the initiator's bearer token completes directly (issue 13 item 1:
        // without it the callback would complete nothing).
        HttpResponse<String> connected = send(HttpRequest.newBuilder(URI.create(callback))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json")
                .header("Authorization", bearer).GET().build());
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        assertThat(json(connected).path("success").asBoolean()).isTrue();
        return json(connected).path("connection_id").asString();
    }

    /** Waits (up to 90 s) until the connection's first claims are listed: the initial sync runs on its own. */
    protected static void awaitClaims(String connectionId, String bearer) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            HttpResponse<String> list = get(GATEWAY + "/api/connections/" + connectionId + "/claims", "Authorization",
                    bearer);
            return list.statusCode() == 200 && json(list).path("page").path("total_elements").asLong() > 0;
        });
    }
}
