package com.clinicwave.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.clinicwave.platform.security.ResourceServerAutoConfiguration;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13, item 3: the suite's service clients are internal. Their tokens carry only the audience
 * {@code clinicwave-internal} (useless at the gateway and at every resource server that accepts only
 * {@code clinicwave-api}), and a token request of theirs that came through the public gateway is refused.
 */
class InternalClientsIntegrationTests extends AuthIntegrationTest {

    private static final String EDGE = "X-ClinicWave-Edge";

    @Test
    void internalClientTokenRequestThroughThePublicGatewayIsRefusedAndAudited() throws Exception {
        long auditedBefore = audited("athena-service");
        mvc.perform(post("/oauth2/token").with(httpBasic("athena-service", "athena-test-secret"))
                        .header(EDGE, "public")
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("grant_type=client_credentials"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value("unauthorized_client"))
                .andExpect(jsonPath("$.access_token").doesNotExist());
        assertThat(audited("athena-service")).isEqualTo(auditedBefore + 1);
        // Same for the other internal clients, and for introspection/revocation through the edge.
        mvc.perform(post("/oauth2/token").with(httpBasic("claims-service", "claims-test-secret"))
                        .header(EDGE, "public")
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("grant_type=client_credentials"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value("unauthorized_client"));
        mvc.perform(post("/oauth2/introspect").with(httpBasic("gateway", "gateway-test-secret")).header(EDGE, "public")
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("token=x.y.z"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value("unauthorized_client"));

        // Inside the platform network (no edge header) the same client gets its token.
        mvc.perform(post("/oauth2/token").with(httpBasic("athena-service", "athena-test-secret"))
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("grant_type=client_credentials"))
                .andExpect(status().isOk());
        // The service-to-service endpoints refuse anything forwarded by the gateway, even with good credentials.
        mvc.perform(post("/internal/api-keys/exchange").with(httpBasic("gateway", "gateway-test-secret"))
                        .header(EDGE, "public").contentType(MediaType.APPLICATION_JSON).content("{\"api_key\":\"cwk_x\"}"))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("INSUFFICIENT_PERMISSIONS"));
        // A third party's service client (not internal) still gets tokens through the gateway.
        mvc.perform(post("/oauth2/token").with(httpBasic("demo-service", "demo-service-secret")).header(EDGE, "public")
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("grant_type=client_credentials"))
                .andExpect(status().isOk());
    }

    @Test
    void internalClientTokenIsRejectedByAResourceServerAcceptingOnlyThePublicAudience() throws Exception {
        String internal = serviceToken("claims-service", "claims-test-secret");
        var claims = SignedJWT.parse(internal).getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly("clinicwave-internal");
        assertThat(claims.getStringClaim("scope").split(" "))
                .containsExactlyInAnyOrder("connections:token", "athena:claims:read");
        String thirdParty = serviceToken("demo-service", "demo-service-secret");
        assertThat(SignedJWT.parse(thirdParty).getJWTClaimsSet().getAudience()).contains("clinicwave-api")
                .doesNotContain("clinicwave-internal");

        String jwks = mvc.perform(get("/oauth2/jwks")).andReturn().getResponse().getContentAsString();
        // A resource server as the gateway and every public API are configured: audience clinicwave-api only.
        resourceServer(jwks, "clinicwave-api").run(context -> {
            JwtDecoder decoder = context.getBean(JwtDecoder.class);
            assertThatThrownBy(() -> decoder.decode(internal)).isInstanceOf(JwtValidationException.class)
                    .hasMessageContaining("audience");
            assertThat(decoder.decode(thirdParty).getSubject()).isEqualTo("demo-service");
        });
        // A service that takes service calls lists the internal audience too.
        resourceServer(jwks, "clinicwave-api,clinicwave-internal").run(context ->
                assertThat(context.getBean(JwtDecoder.class).decode(internal).getSubject()).isEqualTo("claims-service"));
        // auth-service's own public API refuses it as well; its introspection still knows it.
        mvc.perform(get("/api/v1/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + internal))
                .andExpect(status().isUnauthorized());
        mvc.perform(post("/oauth2/introspect").with(httpBasic("demo-service", "demo-service-secret"))
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("token=" + internal))
                .andExpect(status().isOk()).andExpect(jsonPath("$.active").value(true));
    }

    private static ApplicationContextRunner resourceServer(String jwks, String audiences) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResourceServerAutoConfiguration.class))
                .withPropertyValues("clinicwave.security.jwt.jwk-set=" + jwks,
                        "clinicwave.security.jwt.issuer=" + ISSUER, "clinicwave.security.jwt.audiences=" + audiences);
    }

    private String serviceToken(String client, String secret) throws Exception {
        JsonNode response = body(mvc.perform(post("/oauth2/token").with(httpBasic(client, secret))
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("grant_type=client_credentials"))
                .andExpect(status().isOk()));
        return response.get("access_token").asText();
    }

    private long audited(String client) {
        return jdbc.sql("select count(*) from audit_event where event_type = 'oauth.internal_client_at_edge' and actor = ?")
                .param(client).query(Long.class).single();
    }
}
