package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * auth-service through the gateway, as a browser-less OIDC client would do it: discovery with the public issuer,
 * authorization code + PKCE for companion-web with the login form posted, then refresh (rotation), userinfo,
 * introspection and revocation.
 */
class AuthSystemTests extends SuiteSystemTest {

    private static final String CLIENT = "companion-web";
    private static final String REDIRECT = "http://127.0.0.1:5173/callback";

    @Test
    void discoveryIsServedThroughTheGatewayWithThePublicIssuer() {
        JsonNode discovery = json(get(GATEWAY + "/.well-known/openid-configuration"));
        assertThat(discovery.get("issuer").asText()).isEqualTo(GATEWAY);
        assertThat(discovery.get("token_endpoint").asText()).isEqualTo(GATEWAY + "/oauth2/token");
        assertThat(discovery.get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(json(get(discovery.get("jwks_uri").asText())).get("keys").size()).isPositive();
    }

    @Test
    void companionWebCompletesCodeFlowWithPkceThenRefreshUserinfoIntrospectionAndRevocation() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        JsonNode discovery = json(get(GATEWAY + "/.well-known/openid-configuration"));
        String verifier = (UUID.randomUUID() + "-" + UUID.randomUUID()).replace("-", "");
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String authorize = discovery.get("authorization_endpoint").asText() + "?" + form(Map.of("response_type", "code",
                "client_id", CLIENT, "redirect_uri", REDIRECT, "scope", "openid profile offline_access claims:read",
                "state", "s1", "nonce", "n1", "code_challenge", challenge, "code_challenge_method", "S256"));

        HttpResponse<String> toLogin = browse(browser, authorize, null);
        assertThat(toLogin.statusCode()).isEqualTo(302);
        String loginUrl = URI.create(authorize).resolve(toLogin.headers().firstValue("Location").orElseThrow()).toString();
        String page = browse(browser, loginUrl, null).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> afterLogin = browse(browser, GATEWAY + "/login", form(Map.of("username", "demo",
                "password", "demo-password-1", "tenant", "clinicwave", "_csrf", csrf.group(1))));
        assertThat(afterLogin.statusCode()).isEqualTo(302);
        String resumed = URI.create(GATEWAY + "/").resolve(afterLogin.headers().firstValue("Location").orElseThrow()).toString();
        HttpResponse<String> toClient = browse(browser, resumed, null);
        String callback = toClient.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(REDIRECT + "?code=");
        String code = URLDecoder.decode(callback.replaceAll(".*[?&]code=([^&]+).*", "$1"));

        String tokenEndpoint = discovery.get("token_endpoint").asText();
        JsonNode tokens = json(postForm(tokenEndpoint, Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "client_id", CLIENT, "code_verifier", verifier)));
        assertThat(tokens.get("id_token").asText()).isNotBlank();
        JsonNode refreshed = json(postForm(tokenEndpoint, Map.of("grant_type", "refresh_token", "client_id", CLIENT,
                "refresh_token", tokens.get("refresh_token").asText())));
        assertThat(refreshed.get("refresh_token").asText()).isNotEqualTo(tokens.get("refresh_token").asText());

        JsonNode userinfo = json(get(discovery.get("userinfo_endpoint").asText(),
                "Authorization", "Bearer " + refreshed.get("access_token").asText()));
        assertThat(userinfo.get("sub").asText()).isNotBlank();

        String basic = "Basic " + Base64.getEncoder().encodeToString("demo-service:demo-service-secret".getBytes());
        String introspect = discovery.get("introspection_endpoint").asText();
        assertThat(json(postForm(introspect, Map.of("token", refreshed.get("access_token").asText()), "Authorization",
                basic)).get("active").asBoolean()).isTrue();
        assertThat(postForm(discovery.get("revocation_endpoint").asText(), Map.of("client_id", CLIENT, "token",
                refreshed.get("refresh_token").asText())).statusCode()).isEqualTo(200);
        assertThat(json(postForm(introspect, Map.of("token", refreshed.get("access_token").asText()), "Authorization",
                basic)).get("active").asBoolean()).isFalse();
    }

    private static HttpResponse<String> browse(HttpClient browser, String url, String formBody) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "text/html");
        if (formBody != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(formBody));
        }
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static final class URLDecoder {
        static String decode(String value) {
            return java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
        }
    }
}
