package com.clinicwave.sandbox.oauth.web;

import com.clinicwave.platform.web.ApiException;
import com.clinicwave.sandbox.config.SandboxProperties;
import com.clinicwave.sandbox.oauth.AuthorizationError;
import com.clinicwave.sandbox.oauth.AuthorizationRequest;
import com.clinicwave.sandbox.oauth.Authorizations;
import com.clinicwave.sandbox.oauth.ClientAuthenticator;
import com.clinicwave.sandbox.oauth.OAuthException;
import com.clinicwave.sandbox.oauth.TokenEndpoint;
import com.clinicwave.sandbox.provider.Provider;
import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;

/** The protocol endpoints shared by the providers' authorization servers and the identity provider. */
@Component
class OAuthEndpoints {

    private final Authorizations authorizations;
    private final TokenEndpoint tokenEndpoint;
    private final SandboxProperties properties;

    OAuthEndpoints(Authorizations authorizations, TokenEndpoint tokenEndpoint, SandboxProperties properties) {
        this.authorizations = authorizations;
        this.tokenEndpoint = tokenEndpoint;
        this.properties = properties;
    }

    /** GET authorize: the login page, or the automation shortcut's immediate redirect. */
    ResponseEntity<String> authorize(Provider provider, MultiValueMap<String, String> params) {
        AuthorizationRequest request;
        try {
            request = authorizations.validate(provider, params);
        } catch (AuthorizationError e) {
            return redirect(HttpStatus.FOUND, e.redirectLocation());
        }
        String decision = params.getFirst("sandbox_decision");
        if (decision != null) {
            if ("deny".equals(decision)) {
                return redirect(HttpStatus.FOUND, authorizations.deny(request));
            }
            if (!"approve".equals(decision)) {
                throw ApiException.badRequest("VALIDATION_FAILED", "sandbox_decision must be approve or deny");
            }
            String patient = params.getFirst("sandbox_patient") != null ? params.getFirst("sandbox_patient")
                    : params.getFirst("sandbox_user");
            if (patient == null) {
                throw ApiException.badRequest("VALIDATION_FAILED", "sandbox_patient is required to approve");
            }
            return redirect(HttpStatus.FOUND, authorizations.approve(request, patient));
        }
        return page(HttpStatus.OK, LoginPage.render(request, provider.authorizationEndpoint(), null, null));
    }

    /** POST authorize: the login form's answer. */
    ResponseEntity<String> submit(Provider provider, MultiValueMap<String, String> params) {
        AuthorizationRequest request;
        try {
            request = authorizations.validate(provider, params);
        } catch (AuthorizationError e) {
            return redirect(HttpStatus.SEE_OTHER, e.redirectLocation());
        }
        if ("deny".equals(params.getFirst("decision"))) {
            return redirect(HttpStatus.SEE_OTHER, authorizations.deny(request));
        }
        String username = params.getFirst("username") == null ? "" : params.getFirst("username").trim();
        String password = params.getFirst("password") == null ? "" : params.getFirst("password");
        boolean passwordOk = MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
                properties.password().getBytes(StandardCharsets.UTF_8));
        if (!"approve".equals(params.getFirst("decision")) || !passwordOk || !authorizations.isPatient(username)) {
            return page(HttpStatus.UNAUTHORIZED, LoginPage.render(request, provider.authorizationEndpoint(),
                    "Unknown sandbox patient or wrong password.", username));
        }
        return redirect(HttpStatus.SEE_OTHER, authorizations.approve(request, username));
    }

    ResponseEntity<Map<String, Object>> token(Provider provider, @Nullable String authorization,
            MultiValueMap<String, String> params) {
        try {
            return ResponseEntity.ok().headers(noStore()).contentType(MediaType.APPLICATION_JSON)
                    .body(tokenEndpoint.token(provider, authorization, params));
        } catch (OAuthException e) {
            return oauthError(provider, e);
        }
    }

    ResponseEntity<Map<String, Object>> revoke(Provider provider, @Nullable String authorization,
            MultiValueMap<String, String> params) {
        try {
            tokenEndpoint.revoke(provider, authorization, params);
            return ResponseEntity.ok().headers(noStore()).build();
        } catch (OAuthException e) {
            return oauthError(provider, e);
        }
    }

    private static ResponseEntity<Map<String, Object>> oauthError(Provider provider, OAuthException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.getMessage());
        HttpHeaders headers = noStore();
        if (e.status() == HttpStatus.UNAUTHORIZED) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + provider.key() + "\"");
        }
        return ResponseEntity.status(e.status()).headers(headers).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private static ResponseEntity<String> redirect(HttpStatus status, String location) {
        return ResponseEntity.status(status).location(URI.create(location)).headers(noStore()).build();
    }

    private static ResponseEntity<String> page(HttpStatus status, String html) {
        return ResponseEntity.status(status).headers(noStore())
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
                .header("X-Frame-Options", "DENY")
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8)).body(html);
    }

    private static HttpHeaders noStore() {
        HttpHeaders headers = new HttpHeaders();
        headers.setCacheControl(CacheControl.noStore());
        headers.setPragma("no-cache");
        return headers;
    }

    /** The discovery document shared by {@code openid-configuration} and {@code smart-configuration}. */
    static Map<String, Object> discovery(Provider provider, boolean smart) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", provider.issuer());
        doc.put("authorization_endpoint", provider.authorizationEndpoint());
        doc.put("token_endpoint", provider.tokenEndpoint());
        doc.put("revocation_endpoint", provider.revocationEndpoint());
        doc.put("jwks_uri", provider.jwksUri());
        doc.put("userinfo_endpoint", provider.userinfoEndpoint());
        doc.put("response_types_supported", List.of("code"));
        doc.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("token_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "private_key_jwt"));
        doc.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS256", "RS384", "ES256", "ES384"));
        doc.put("revocation_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "private_key_jwt"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("authorization_response_iss_parameter_supported", true);
        doc.put("claims_supported", List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name",
                "given_name", "family_name", "preferred_username", "email", "email_verified", "birthdate", "fhirUser"));
        switch (provider.kind()) {
            case FHIR -> doc.put("scopes_supported", List.of("openid", "fhirUser", "launch/patient", "offline_access",
                    "online_access", "patient/*.read", "patient/Patient.read", "patient/ExplanationOfBenefit.read",
                    "patient/*.rs", "patient/Patient.rs", "patient/ExplanationOfBenefit.rs"));
            case ATHENA -> doc.put("scopes_supported", List.of("openid", "offline_access",
                    "athena/service/Athenanet.MDP.*"));
            case IDP -> doc.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        }
        if (smart) {
            doc.put("capabilities", List.of("launch-standalone", "client-confidential-symmetric",
                    "client-confidential-asymmetric", "context-standalone-patient", "permission-offline",
                    "permission-patient", "sso-openid-connect"));
        }
        return doc;
    }
}
