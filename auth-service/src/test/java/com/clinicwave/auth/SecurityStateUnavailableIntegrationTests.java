package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.clinicwave.testsupport.TestRedis;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13, item 6: auth-service reaches Redis through a TCP proxy that the test cuts, as a Redis crash or a
 * network partition would. With its security state unreachable the service fails closed: logout, refresh, OAuth
 * revocation and login all answer 503 {@code SECURITY_STATE_UNAVAILABLE} — no logout answered 204 that revoked
 * nothing, no login that skipped its failure counter.
 */
@TestPropertySource(properties = {"clinicwave.test.redis.enabled=false", "spring.data.redis.timeout=1s"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class SecurityStateUnavailableIntegrationTests extends AuthIntegrationTest {

    private static final TcpProxy REDIS;

    static {
        try {
            REDIS = new TcpProxy(TestRedis.get().host(), TestRedis.get().port());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void redisThroughTheProxy(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", REDIS::port);
        registry.add("spring.data.redis.database", () -> TestRedis.get().nextDatabase());
        registry.add("spring.data.redis.password", () -> "");
    }

    @AfterAll
    static void closeProxy() {
        REDIS.close();
    }

    @Test
    void withRedisGoneSecurityStateChangesFailClosedWith503() throws Exception {
        String username = newUser("clinicwave", "state-pass-123");
        JsonNode tokens = login("clinicwave", username, "state-pass-123");
        JsonNode service = body(mvc.perform(post("/oauth2/token").with(httpBasic("demo-service", "demo-service-secret"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("grant_type=client_credentials"))
                .andExpect(status().isOk()));

        REDIS.cut();

        // Logout that cannot record the revocation must not answer 204.
        unavailable(mvc.perform(post("/api/v1/auth/logout").header(HttpHeaders.AUTHORIZATION, bearer(tokens))));
        // A refresh cannot rotate (nor detect reuse).
        unavailable(mvc.perform(post("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("refresh_token", tokens.get("refresh_token").asText())))));
        // A login whose rate limit and failure counter cannot be written does not go through — wrong password or
        // right one (no lockout bypass, no token without a recorded session).
        unavailable(mvc.perform(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("tenant", "clinicwave", "username", username,
                        "password", "wrong-pass-123")))));
        unavailable(mvc.perform(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("tenant", "clinicwave", "username", username,
                        "password", "state-pass-123")))));
        // OAuth revocation (Spring Authorization Server's endpoint, outside MVC) that cannot reach the denylist.
        unavailable(mvc.perform(post("/oauth2/revoke").with(httpBasic("demo-service", "demo-service-secret"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content("token=" + service.get("access_token").asText())));
    }

    private static void unavailable(ResultActions result) throws Exception {
        result.andExpect(status().isServiceUnavailable())
                .andExpect(header().string(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE))
                .andExpect(header().exists(HttpHeaders.RETRY_AFTER))
                .andExpect(jsonPath("$.code").value("SECURITY_STATE_UNAVAILABLE"));
        assertThat(result.andReturn().getResponse().getContentAsString()).doesNotContain("Exception", "lettuce");
    }
}
