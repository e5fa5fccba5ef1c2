package com.clinicwave.auth;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one Spring context every auth-service integration test shares: real PostgreSQL, Redis and Kafka from
 * test-support, the demo seed data, and a WireMock server standing in for an external OIDC provider.
 */
@SpringBootTest(properties = {
    "clinicwave.auth.keys.encryption-key=3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhs=",
    "clinicwave.auth.keys.publish-lead=0s",
    "clinicwave.auth.seed.enabled=true",
    "clinicwave.auth.seed.demo-service-secret=demo-service-secret",
    "GATEWAY_CLIENT_SECRET=gateway-test-secret",
    "ATHENA_SERVICE_CLIENT_SECRET=athena-test-secret",
    "CLAIMS_SERVICE_CLIENT_SECRET=claims-test-secret",
    "clinicwave.auth.seed.platform-ops-secret=ops-test-secret",
    "clinicwave.auth.rate-limit.per-ip=10000",
    "clinicwave.auth.rate-limit.per-username=40",
    // Tests log in hundreds of times: a cheaper argon2id cost (production keeps 7 MiB x 5).
    "clinicwave.auth.passwords.argon2-memory-kib=1024",
    "clinicwave.auth.passwords.argon2-iterations=1",
    "clinicwave.auth.federation.tenants.test-idp=abott",
    // Issue 16: the bootstrapped platform administrator, who must change the password at the first sign-in.
    "clinicwave.auth.bootstrap.admin-username=platform-admin",
    "clinicwave.auth.bootstrap.admin-password=platform-admin-password-1",
    "clinicwave.auth.bootstrap.password-change-required=true",
    "spring.security.oauth2.client.registration.test-idp.client-id=clinicwave",
    "spring.security.oauth2.client.registration.test-idp.client-secret=idp-secret",
    "spring.security.oauth2.client.registration.test-idp.client-name=Test IdP",
    "spring.security.oauth2.client.registration.test-idp.scope=openid,profile,email",
    "spring.security.oauth2.client.registration.test-idp.authorization-grant-type=authorization_code",
    "spring.security.oauth2.client.registration.test-idp.redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
    "spring.security.oauth2.client.provider.test-idp.user-name-attribute=sub",
    // MockMvc carries the browser session as a MockHttpSession, which Spring Session's filter would not see: these
    // tests keep the servlet container's session; ReplicatedSignInIntegrationTests runs the Redis one over HTTP.
    "spring.autoconfigure.exclude=org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
            + "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration",
})
@AutoConfigureMockMvc
public abstract class AuthIntegrationTest {

    protected static final String ISSUER = "http://localhost:8080";
    protected static final WireMockServer IDP = new WireMockServer(options().dynamicPort());

    static {
        IDP.start();
        String base = "http://localhost:" + IDP.port() + "/idp";
        IDP.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/idp/.well-known/openid-configuration")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("""
                        {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
                         "jwks_uri":"%1$s/jwks","response_types_supported":["code"],"subject_types_supported":["public"],
                         "id_token_signing_alg_values_supported":["RS256"]}
                        """.formatted(base))));
    }

    @DynamicPropertySource
    static void idp(DynamicPropertyRegistry registry) {
        String base = "http://localhost:" + IDP.port() + "/idp";
        registry.add("spring.security.oauth2.client.provider.test-idp.issuer-uri", () -> base);
        registry.add("spring.security.oauth2.client.provider.test-idp.authorization-uri", () -> base + "/authorize");
        registry.add("spring.security.oauth2.client.provider.test-idp.token-uri", () -> base + "/token");
        registry.add("spring.security.oauth2.client.provider.test-idp.jwk-set-uri", () -> base + "/jwks");
    }

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected JsonMapper json;

    @Autowired
    protected JdbcClient jdbc;

    protected JsonNode body(org.springframework.test.web.servlet.ResultActions result) throws Exception {
        return json.readTree(result.andReturn().getResponse().getContentAsString());
    }

    protected JsonNode login(String tenant, String username, String password) throws Exception {
        return body(mvc.perform(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("tenant", tenant, "username", username, "password", password))))
                .andExpect(status().isOk()));
    }

    /** The bootstrapped platform administrator's password once changed (its initial one must be changed first). */
    protected static final String PLATFORM_PASSWORD = "operator-secret-2026";

    /** The bootstrapped platform admin's tokens; the first caller proves the initial password must be changed. */
    protected JsonNode platformAdmin() throws Exception {
        synchronized (AuthIntegrationTest.class) {
            boolean mustChange = jdbc.sql("select must_change_password from app_user u join tenant t on t.id = u.tenant_id "
                    + "where t.tenant_key = 'platform' and u.username = 'platform-admin'").query(Boolean.class).single();
            if (mustChange) {
                mvc.perform(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                                .content(json.writeValueAsString(Map.of("tenant", "platform", "username", "platform-admin",
                                        "password", "platform-admin-password-1"))))
                        .andExpect(status().isForbidden())
                        .andExpect(jsonPath("$.code").value("PASSWORD_CHANGE_REQUIRED"));
                return body(mvc.perform(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(Map.of("tenant", "platform", "username", "platform-admin",
                                "password", "platform-admin-password-1", "new_password", PLATFORM_PASSWORD))))
                        .andExpect(status().isOk()));
            }
        }
        return login("platform", "platform-admin", PLATFORM_PASSWORD);
    }

    /** Registers an OAuth client of the admin's tenant through the admin API (null: field left out). */
    protected JsonNode registerClient(JsonNode admin, String type, List<String> redirects, List<String> scopes,
            int expected) throws Exception {
        Map<String, Object> request = new HashMap<>(Map.of("type", type, "name", "Partner " + type));
        if (redirects != null) {
            request.put("redirect_uris", redirects);
        }
        if (scopes != null) {
            request.put("scopes", scopes);
        }
        return body(mvc.perform(post("/api/v1/admin/clients").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(request)))
                .andExpect(status().is(expected)));
    }

    protected JsonNode clientCredentials(String clientId, String secret, int expected) throws Exception {
        return body(mvc.perform(post("/oauth2/token").with(httpBasic(clientId, secret))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("grant_type=client_credentials"))
                .andExpect(status().is(expected)));
    }

    /** A fresh user of the tenant, with role patient (so tests do not share lockout or rate-limit state). */
    protected String newUser(String tenant, String password) throws Exception {
        String username = "u" + UUID.randomUUID().toString().substring(0, 12);
        mvc.perform(post("/api/v1/auth/register").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("tenant", tenant, "username", username, "password", password))))
                .andExpect(status().isCreated());
        return username;
    }

    protected static RequestPostProcessor fromIp(String ip) {
        return request -> {
            request.setRemoteAddr(ip);
            return request;
        };
    }

    protected static String bearer(JsonNode tokens) {
        return "Bearer " + tokens.get("access_token").asText();
    }
}
