package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.clinicwave.auth.config.Argon2idEncoder;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Every password-hashing slot taken (the {@code password-hashing} bulkhead full, as under a login flood): a login,
 * a registration and a password change are refused with 503 {@code PASSWORD_HASHING_BUSY} problem+json and
 * {@code Retry-After} after the bounded wait — never a 500, nothing checked or counted — so is a client whose secret
 * is argon2-hashed at the token endpoint (a security filter, not a controller), and the sign-in page says to retry;
 * once a slot frees, logins work again.
 */
class PasswordHashingBulkheadIntegrationTests extends AuthIntegrationTest {

    @Autowired
    private Bulkhead passwordHashingBulkhead;

    @Autowired
    private RegisteredClientRepository clients;

    private BulkheadConfig configured;
    private int held;

    @BeforeEach
    void takeEverySlot() {
        configured = passwordHashingBulkhead.getBulkheadConfig();
        // A short wait keeps the test fast; the slots themselves are the production ones.
        passwordHashingBulkhead.changeConfig(BulkheadConfig.from(configured).maxWaitDuration(Duration.ofMillis(50))
                .build());
        for (int i = 0; i < configured.getMaxConcurrentCalls(); i++) {
            passwordHashingBulkhead.acquirePermission();
            held++;
        }
    }

    @AfterEach
    void freeTheSlots() {
        for (; held > 0; held--) {
            passwordHashingBulkhead.onComplete();
        }
        passwordHashingBulkhead.changeConfig(configured);
    }

    @Test
    void loginRegistrationAndPasswordChangeAnswer503WithRetryAfterWhenNoSlotFrees() throws Exception {
        expectBusy(mvc.perform(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("tenant", "clinicwave", "username", "demo",
                        "password", "demo-password-1")))));
        expectBusy(mvc.perform(post("/api/v1/auth/register").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("tenant", "clinicwave", "username", "busy-user-1",
                        "password", "busy-password-1")))));
        expectBusy(mvc.perform(post("/api/v1/auth/password").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("tenant", "clinicwave", "username", "demo",
                        "password", "demo-password-1", "new_password", "another-secret-2")))));
        // Refused before anything was checked: no failed login counted or audited for the user.
        assertThat(jdbc.sql("select count(*) from app_user where username = 'busy-user-1'").query(Long.class).single())
                .isZero();

        freeTheSlots();
        login("clinicwave", "demo", "demo-password-1");
        assertThat(passwordHashingBulkhead.getMetrics().getAvailableConcurrentCalls())
                .isEqualTo(configured.getMaxConcurrentCalls());
    }

    @Test
    void theSignInPageSaysToRetryInsteadOfWrongPassword() throws Exception {
        mvc.perform(post("/login").with(csrf()).param("username", "demo").param("password", "demo-password-1")
                        .param("tenant", "clinicwave"))
                .andExpect(status().is3xxRedirection())
                .andExpect(r -> assertThat(r.getResponse().getRedirectedUrl()).endsWith("/login?error=busy"));
        mvc.perform(get("/login").param("error", "busy")).andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("Too many sign-ins")));
    }

    @Test
    void aClientWithAnArgon2SecretGets503AtTheTokenEndpointNot500() throws Exception {
        // An imported client whose secret is argon2-hashed (hashed outside the service's slots, which the test holds).
        String clientId = "argon2-client-" + UUID.randomUUID().toString().substring(0, 8);
        clients.save(RegisteredClient.withId(UUID.randomUUID().toString()).clientId(clientId)
                .clientSecret("{argon2}" + new Argon2idEncoder(1024, 1, true).encode("argon2-client-secret-1"))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope("claims:sync").build());
        expectBusy(mvc.perform(post("/oauth2/token").with(httpBasic(clientId, "argon2-client-secret-1"))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("grant_type=client_credentials")));

        freeTheSlots();
        mvc.perform(post("/oauth2/token").with(httpBasic(clientId, "argon2-client-secret-1"))
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("grant_type=client_credentials"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.access_token").exists());
    }

    private static void expectBusy(ResultActions result) throws Exception {
        result.andExpect(status().isServiceUnavailable())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string(HttpHeaders.RETRY_AFTER, "1"))
                .andExpect(jsonPath("$.code").value("PASSWORD_HASHING_BUSY"))
                .andExpect(jsonPath("$.status").value(503));
    }
}
