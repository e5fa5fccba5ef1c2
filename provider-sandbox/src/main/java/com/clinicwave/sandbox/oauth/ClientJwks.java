package com.clinicwave.sandbox.oauth;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Fetches and briefly caches the JWK sets that {@code private_key_jwt} clients publish. */
@Component
class ClientJwks {

    private static final Duration CACHE_FOR = Duration.ofMinutes(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Clock clock;

    ClientJwks(Clock clock) {
        this.clock = clock;
    }

    /** The client's key set, refetched when {@code fresh} (a key id we did not know: the client rotated). */
    JWKSet get(String url, boolean fresh) {
        Cached cached = cache.get(url);
        if (!fresh && cached != null && cached.until().isAfter(clock.instant())) {
            return cached.keys();
        }
        JWKSet keys = fetch(url);
        cache.put(url, new Cached(keys, clock.instant().plus(CACHE_FOR)));
        return keys;
    }

    private JWKSet fetch(String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw OAuthException.invalidClient("The client's JWK set could not be fetched");
            }
            return JWKSet.parse(response.body());
        } catch (IOException | ParseException | IllegalArgumentException e) {
            throw OAuthException.invalidClient("The client's JWK set could not be fetched");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OAuthException.invalidClient("The client's JWK set could not be fetched");
        }
    }

    private record Cached(JWKSet keys, Instant until) {
    }
}
