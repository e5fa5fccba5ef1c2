package com.clinicwave.sandbox.oauth.web;

import com.clinicwave.platform.web.ApiException;
import com.clinicwave.sandbox.data.SandboxData;
import com.clinicwave.sandbox.oauth.AccessGrant;
import com.clinicwave.sandbox.oauth.SigningKeys;
import com.clinicwave.sandbox.oauth.TokenService;
import com.clinicwave.sandbox.provider.Provider;
import com.clinicwave.sandbox.provider.Providers;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Each provider's authorization server: {@code /{provider}/oauth2/**} and its discovery documents. */
@RestController
class ProviderOAuthController {

    private final Providers providers;
    private final OAuthEndpoints endpoints;
    private final SigningKeys keys;
    private final TokenService tokens;
    private final SandboxData data;

    ProviderOAuthController(Providers providers, OAuthEndpoints endpoints, SigningKeys keys, TokenService tokens,
            SandboxData data) {
        this.providers = providers;
        this.endpoints = endpoints;
        this.keys = keys;
        this.tokens = tokens;
        this.data = data;
    }

    @GetMapping("/{provider}/oauth2/authorize")
    ResponseEntity<String> authorize(@PathVariable String provider, @RequestParam MultiValueMap<String, String> params) {
        return endpoints.authorize(dataProvider(provider), params);
    }

    @PostMapping("/{provider}/oauth2/authorize")
    ResponseEntity<String> submit(@PathVariable String provider, @RequestParam MultiValueMap<String, String> params) {
        return endpoints.submit(dataProvider(provider), params);
    }

    @PostMapping("/{provider}/oauth2/token")
    ResponseEntity<Map<String, Object>> token(@PathVariable String provider,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @RequestParam MultiValueMap<String, String> params) {
        return endpoints.token(dataProvider(provider), authorization, params);
    }

    @PostMapping("/{provider}/oauth2/revoke")
    ResponseEntity<Map<String, Object>> revoke(@PathVariable String provider,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @RequestParam MultiValueMap<String, String> params) {
        return endpoints.revoke(dataProvider(provider), authorization, params);
    }

    @GetMapping("/{provider}/oauth2/jwks")
    Map<String, Object> jwks(@PathVariable String provider) {
        dataProvider(provider);
        return keys.publicJwkSet();
    }

    @RequestMapping(path = "/{provider}/oauth2/userinfo", method = {RequestMethod.GET, RequestMethod.POST})
    Map<String, Object> userinfo(@PathVariable String provider,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        AccessGrant grant = tokens.requireAccessToken(dataProvider(provider), authorization);
        return data.patient(grant.subject()).map(TokenService::userClaims)
                .orElseThrow(() -> ApiException.notFound("User"));
    }

    @GetMapping("/{provider}/.well-known/openid-configuration")
    Map<String, Object> openidConfiguration(@PathVariable String provider) {
        return OAuthEndpoints.discovery(dataProvider(provider), false);
    }

    /** SMART clients look for it both at the issuer and at the FHIR base URL. */
    @GetMapping({"/{provider}/.well-known/smart-configuration", "/{provider}/fhir/.well-known/smart-configuration"})
    Map<String, Object> smartConfiguration(@PathVariable String provider) {
        return OAuthEndpoints.discovery(dataProvider(provider), true);
    }

    private Provider dataProvider(String key) {
        if (Providers.IDP.equals(key)) {
            throw ApiException.notFound("Provider");
        }
        return providers.require(key);
    }
}
