package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 16 against the running suite, through the gateway: the platform administrator (local data) creates a tenant
 * with a domain; its administrator (changing the initial password in the login call) registers an SPA client and a
 * user; the user signs in through that client with PKCE in a simulated browser (HTTP client + cookie jar); the
 * administrator changes the user's roles and the user's token is refused at the gateway within a second (the user's
 * API key keeps working with the new roles, is refused while the user is locked, works again after the unlock); and the new
 * tenant's people never see or change the clinicwave tenant's users, clients, connections, claims or audit rows.
 */
class IdentityAdminSystemTests extends SuiteSystemTest {

    private static final URI REDIRECT = URI.create("http://127.0.0.1:5173/partner-callback");

    @Test
    void aNewTenantsAdminRegistersAnSpaWhoseUserSignsInAndLosesTheTokenWhenTheRolesChange() throws Exception {
        String key = "sys" + UUID.randomUUID().toString().substring(0, 8);
        String platform = accessToken(login("platform", "platform-admin", "platform-admin-password-1", null));

        // Platform admin: a tenant with a domain and its first administrator.
        HttpResponse<String> created = postJson(GATEWAY + "/api/v1/admin/tenants", Map.of("key", key, "name",
                "System " + key, "domains", List.of(key + ".localhost"), "admin", Map.of("username", "boss",
                        "password", "first-chief-pass-1")), "Authorization", "Bearer " + platform);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).get("domains").get(0).asString()).isEqualTo(key + ".localhost");

        // Its admin must change the password; does so in the login call.
        HttpResponse<String> mustChange = login(key, "boss", "first-chief-pass-1", null);
        assertThat(mustChange.statusCode()).isEqualTo(403);
        assertThat(json(mustChange).get("code").asString()).isEqualTo("PASSWORD_CHANGE_REQUIRED");
        String admin = accessToken(login(key, "boss", "first-chief-pass-1", "second-chief-pass-2"));
        // A tenant admin is not a platform admin.
        assertThat(get(GATEWAY + "/api/v1/admin/tenants", "Authorization", "Bearer " + admin).statusCode()).isEqualTo(403);

        // An SPA client and a user.
        HttpResponse<String> spa = postJson(GATEWAY + "/api/v1/admin/clients", Map.of("type", "spa", "name", "Partner SPA",
                "redirect_uris", List.of(REDIRECT.toString()), "scopes", List.of("openid", "profile", "claims:read")),
                "Authorization", "Bearer " + admin);
        assertThat(spa.statusCode()).as(spa.body()).isEqualTo(201);
        ClientID client = new ClientID(json(spa).get("client").get("client_id").asString());
        HttpResponse<String> user = postJson(GATEWAY + "/api/v1/admin/users", Map.of("username", "pat", "password",
                "green-river-77", "roles", List.of("patient"), "must_change_password", false),
                "Authorization", "Bearer " + admin);
        assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
        String userId = json(user).get("id").asString();

        // The user signs in through the new client: authorization code + PKCE S256, ID token validated.
        OIDCProviderMetadata provider = OIDCProviderMetadata.resolve(new Issuer(GATEWAY));
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        Nonce nonce = new Nonce();
        URI authorize = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile", "claims:read"),
                client, REDIRECT).endpointURI(provider.getAuthorizationEndpointURI()).state(state).nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI();
        AuthorizationResponse response = AuthorizationResponse.parse(loginInBrowser(authorize, key, "pat", "green-river-77"));
        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(response.getState()).isEqualTo(state);
        TokenResponse tokenResponse = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(), client,
                new AuthorizationCodeGrant(response.toSuccessResponse().getAuthorizationCode(), REDIRECT, verifier))
                .toHTTPRequest().send());
        assertThat(tokenResponse.indicatesSuccess()).isTrue();
        OIDCTokenResponse tokens = (OIDCTokenResponse) tokenResponse.toSuccessResponse();
        JWT idToken = tokens.getOIDCTokens().getIDToken();
        IDTokenClaimsSet idClaims = new IDTokenValidator(provider.getIssuer(), client, JWSAlgorithm.RS256,
                provider.getJWKSetURI().toURL()).validate(idToken, nonce);
        assertThat(idClaims.getSubject().getValue()).isEqualTo(userId);
        assertThat(idClaims.getStringListClaim("roles")).containsExactly("patient");
        String access = tokens.getOIDCTokens().getAccessToken().getValue();
        assertThat(SignedJWT.parse(access).getJWTClaimsSet().getStringClaim("tenant")).isEqualTo(key);
        assertThat(get(GATEWAY + "/api/v1/auth/me", "Authorization", "Bearer " + access).statusCode()).isEqualTo(200);

        // The user's API key (made with a first-party sign-in): exchanged at the gateway, which caches the exchanged
        // token; it reads claims (the connection is not the user's: 404, not 403).
        HttpResponse<String> keyCreated = postJson(GATEWAY + "/api/v1/auth/api-key", Map.of("name", "sync script",
                "scopes", List.of("claims:read")), "Authorization", "Bearer " + accessToken(login(key, "pat",
                "green-river-77", null)));
        assertThat(keyCreated.statusCode()).as(keyCreated.body()).isEqualTo(201);
        String apiKey = json(keyCreated).get("api_key").asString();
        String claimsWithKey = GATEWAY + "/api/connections/" + UUID.randomUUID() + "/claims";
        int allowed = get(claimsWithKey, "X-API-Key", apiKey).statusCode();
        assertThat(allowed).isIn(200, 404);

        // The administrator changes the user's roles: the user's token is refused at the gateway within a second.
        HttpResponse<String> changed = send(HttpRequest.newBuilder(URI.create(GATEWAY + "/api/v1/admin/users/" + userId
                        + "/roles")).header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"roles\":[]}")).build());
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        // Refused, not fast: the latency is printed (a measurement, not a timed assertion on a shared machine).
        long changedAt = System.nanoTime();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(25))
                .until(() -> get(GATEWAY + "/api/claims", "Authorization", "Bearer " + access).statusCode() == 401);
        System.out.printf("demoted user's token refused at the gateway %d ms after the role change%n",
                Duration.ofNanos(System.nanoTime() - changedAt).toMillis());
        // The API key keeps working, exchanged again with the new roles: claims:read is gone.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(25))
                .until(() -> get(claimsWithKey, "X-API-Key", apiKey).statusCode() == 403);
        System.out.printf("demoted user's API key without claims:read %d ms after the role change%n",
                Duration.ofNanos(System.nanoTime() - changedAt).toMillis());

        // Locked: the key is refused at the gateway with the exchange's code; unlocked and given its role back: the
        // key reads claims again.
        assertThat(postJson(GATEWAY + "/api/v1/admin/users/" + userId + "/lock", Map.of(), "Authorization",
                "Bearer " + admin).statusCode()).isEqualTo(200);
        long lockedAt = System.nanoTime();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(25))
                .until(() -> get(claimsWithKey, "X-API-Key", apiKey).statusCode() == 401);
        System.out.printf("locked user's API key refused at the gateway %d ms after the lock%n",
                Duration.ofNanos(System.nanoTime() - lockedAt).toMillis());
        assertThat(json(get(claimsWithKey, "X-API-Key", apiKey)).get("code").asString()).isEqualTo("API_KEY_INVALID");
        assertThat(postJson(GATEWAY + "/api/v1/admin/users/" + userId + "/unlock", Map.of(), "Authorization",
                "Bearer " + admin).statusCode()).isEqualTo(204);
        HttpResponse<String> restored = send(HttpRequest.newBuilder(URI.create(GATEWAY + "/api/v1/admin/users/" + userId
                        + "/roles")).header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"roles\":[\"patient\"]}")).build());
        assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(25))
                .until(() -> get(claimsWithKey, "X-API-Key", apiKey).statusCode() == allowed);
    }

    @Test
    void peopleOfOneTenantNeverSeeOrChangeAnotherTenantsUsersClientsConnectionsClaimsOrAuditRows() throws Exception {
        String abottAdmin = accessToken(login("abott", "admin", "abott-admin-password-1", null));
        String clinicwaveAdmin = accessToken(login("clinicwave", "admin", "admin-password-1", null));
        JsonNode clinicwaveDemo = json(get(GATEWAY + "/api/v1/admin/users?q=demo", "Authorization", "Bearer " + clinicwaveAdmin))
                .get("items").get(0);
        String demoId = clinicwaveDemo.get("id").asString();
        String auth = "Bearer " + abottAdmin;

        assertThat(get(GATEWAY + "/api/v1/admin/users?size=100", "Authorization", auth).body()).doesNotContain(demoId);
        assertThat(get(GATEWAY + "/api/v1/admin/users/" + demoId, "Authorization", auth).statusCode()).isEqualTo(404);
        assertThat(postJson(GATEWAY + "/api/v1/admin/users/" + demoId + "/lock", Map.of(), "Authorization", auth)
                .statusCode()).isEqualTo(404);
        HttpResponse<String> clientOfClinicwave = postJson(GATEWAY + "/api/v1/admin/clients", Map.of("type", "spa",
                "name", "Clinicwave app", "redirect_uris", List.of("https://app.clinicwave.localhost/cb")),
                "Authorization", "Bearer " + clinicwaveAdmin);
        assertThat(clientOfClinicwave.statusCode()).isEqualTo(201);
        String clientId = json(clientOfClinicwave).get("client").get("client_id").asString();
        assertThat(get(GATEWAY + "/api/v1/admin/clients/" + clientId, "Authorization", auth).statusCode()).isEqualTo(404);
        assertThat(postJson(GATEWAY + "/api/v1/admin/clients/" + clientId + "/disable", Map.of(), "Authorization", auth)
                .statusCode()).isEqualTo(404);
        assertThat(get(GATEWAY + "/api/v1/admin/clients?size=100", "Authorization", auth).body()).doesNotContain(clientId);
        String clinicwaveTid = SignedJWT.parse(clinicwaveAdmin).getJWTClaimsSet().getStringClaim("tid");
        assertThat(get(GATEWAY + "/api/v1/admin/audit?size=100", "Authorization", auth).body())
                .doesNotContain(demoId).doesNotContain(clinicwaveTid);

        // A patient of abott: the clinicwave demo user's connections and claims are not theirs to list.
        String abottPatient = accessToken(login("abott", "demo", "abott-password-1", null));
        String clinicwavePatient = DemoUser.accessToken();
        String clinicwaveConnections = get(GATEWAY + "/api/connections", "Authorization", "Bearer " + clinicwavePatient).body();
        HttpResponse<String> abottConnections = get(GATEWAY + "/api/connections", "Authorization", "Bearer " + abottPatient);
        assertThat(abottConnections.statusCode()).isEqualTo(200);
        for (JsonNode connection : iterable(JSON.readTree(clinicwaveConnections))) {
            if (connection.has("id")) {
                assertThat(abottConnections.body()).doesNotContain(connection.get("id").asString());
            }
        }
        HttpResponse<String> abottClaims = get(GATEWAY + "/api/claims", "Authorization", "Bearer " + abottPatient);
        assertThat(abottClaims.statusCode()).isLessThan(500);
        assertThat(abottClaims.body()).doesNotContain(SignedJWT.parse(clinicwavePatient).getJWTClaimsSet().getSubject());
    }

    @Test
    void theSignInPageOffersTheSandboxIdpAsSignInWithAthenahealth() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        String page = browse(browser, URI.create(GATEWAY + "/login"), null).body();
        assertThat(page).contains("Sign in with athenahealth").contains("oauth2/authorization/athenahealth");
        HttpResponse<String> toIdp = browse(browser, URI.create(GATEWAY + "/oauth2/authorization/athenahealth"), null);
        assertThat(toIdp.statusCode()).isEqualTo(302);
        String location = toIdp.headers().firstValue("Location").orElseThrow();
        // The IdP sends the browser back to the public callback (Spring may or may not percent-encode it).
        assertThat(location).startsWith("http://localhost:9400/idp/authorize").contains("client_id=clinicwave-auth");
        assertThat(java.net.URLDecoder.decode(location, StandardCharsets.UTF_8))
                .contains("redirect_uri=" + GATEWAY + "/login/oauth2/code/athenahealth");
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        JsonNode items = node.isArray() ? node : node.path("items").isArray() ? node.path("items") : node.path("connections");
        return items.isArray() ? items : List.of();
    }

    private static HttpResponse<String> login(String tenant, String username, String password, String newPassword) {
        Map<String, String> body = newPassword == null ? Map.of("tenant", tenant, "username", username, "password", password)
                : Map.of("tenant", tenant, "username", username, "password", password, "new_password", newPassword);
        return postJson(GATEWAY + "/api/v1/auth/login", body);
    }

    private static String accessToken(HttpResponse<String> login) {
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        assertThat(json(login).get("id_token").asString()).isNotBlank();
        return json(login).get("access_token").asString();
    }

    /** The browser: authorize → login page (its CSRF field) → form post with the tenant → authorize → the client. */
    private static URI loginInBrowser(URI authorize, String tenant, String username, String password) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> toLogin = browse(browser, authorize, null);
        assertThat(toLogin.statusCode()).isEqualTo(302);
        String page = browse(browser, URI.create(GATEWAY + "/login?tenant=" + tenant), null).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).as("login page has a CSRF field").isTrue();
        assertThat(page).contains("System " + tenant);
        HttpResponse<String> afterLogin = browse(browser, URI.create(GATEWAY + "/login"), form(Map.of(
                "username", username, "password", password, "tenant", tenant, "_csrf", csrf.group(1))));
        assertThat(afterLogin.statusCode()).isEqualTo(302);
        URI resumed = URI.create(GATEWAY + "/").resolve(afterLogin.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> toClient = browse(browser, resumed, null);
        assertThat(toClient.statusCode()).as(toClient.headers().toString()).isEqualTo(302);
        return URI.create(toClient.headers().firstValue("Location").orElseThrow());
    }

    private static HttpResponse<String> browse(HttpClient browser, URI url, String formBody) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).header("Accept", "text/html");
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
}
