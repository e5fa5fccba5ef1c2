package com.clinicwave.connections.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.clinicwave.connections.config.ConnectionsProperties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectAllowListTests {

    private final RedirectAllowList allowList = new RedirectAllowList(new ConnectionsProperties("keyset", null,
            "http://localhost:8080/api/oauth/callback",
            List.of("http://127.0.0.1:5173/", "https://app.clinicwave.dev/connected",
                    "com.clinicwave.companion:/connect"), null, null, null, Map.of()));

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:5173/", "http://127.0.0.1:5173/connections/done?x=1",
        "https://app.clinicwave.dev/connected", "com.clinicwave.companion:/connect"})
    void admitsUrlsUnderAnAllowedPrefixOrEqualToAnAllowedUrl(String url) {
        assertThat(allowList.allows(url)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:5174/", "https://127.0.0.1:5173/", "http://127.0.0.1:5173@evil.example/",
        "http://evil.example/?http://127.0.0.1:5173/", "http://127.0.0.1:5173/a/../../b", "http://127.0.0.1:5173/%2F%2Fevil",
        "https://app.clinicwave.dev/connected/more", "https://app.clinicwave.dev/connected#frag", "javascript:alert(1)",
        "//evil.example/", "/relative", "not a url", "http://127.0.0.1:5173\\@evil.example/",
        "com.clinicwave.companion:/connect/more", "com.clinicwave.companion:/connect?x=1", "com.evil:/connect",
        "com.clinicwave.companion:/connect#f", "com.clinicwave.companion://connect"})
    void refusesEverythingElse(String url) {
        assertThat(allowList.allows(url)).isFalse();
    }
}
