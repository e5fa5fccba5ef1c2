package com.clinicwave.sandbox.oauth.web;

import com.clinicwave.platform.web.ApiException;
import com.clinicwave.sandbox.data.SandboxData;
import com.clinicwave.sandbox.oauth.AccessGrant;
import com.clinicwave.sandbox.oauth.SigningKeys;
import com.clinicwave.sandbox.oauth.TokenService;
import com.clinicwave.sandbox.provider.Providers;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The OpenID Connect identity provider at {@code /idp} that auth-service federates ("Log in with athenahealth"). */
@RestController
@RequestMapping("/idp")
class IdpController {

    private final Providers providers;
    private final OAuthEndpoints endpoints;
    private final SigningKeys keys;
    private final TokenService tokens;
    private final SandboxData data;

    IdpController(Providers providers, OAuthEndpoints endpoints, SigningKeys keys, TokenService tokens,
            SandboxData data) {
        this.providers = providers;
        this.endpoints = endpoints;
        this.keys = keys;
        this.tokens = tokens;
        this.data = data;
    }

    @GetMapping("/.well-known/openid-configuration")
    Map<String, Object> discovery() {
        return OAuthEndpoints.discovery(providers.idp(), false);
    }

    @GetMapping("/jwks")
    Map<String, Object> jwks() {
        return keys.publicJwkSet();
    }

    @GetMapping("/authorize")
    ResponseEntity<String> authorize(@RequestParam MultiValueMap<String, String> params) {
        return endpoints.authorize(providers.idp(), params);
    }

    @PostMapping("/authorize")
    ResponseEntity<String> submit(@RequestParam MultiValueMap<String, String> params) {
        return endpoints.submit(providers.idp(), params);
    }

    @PostMapping("/token")
    ResponseEntity<Map<String, Object>> token(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @RequestParam MultiValueMap<String, String> params) {
        return endpoints.token(providers.idp(), authorization, params);
    }

    @PostMapping("/revoke")
    ResponseEntity<Map<String, Object>> revoke(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            @RequestParam MultiValueMap<String, String> params) {
        return endpoints.revoke(providers.idp(), authorization, params);
    }

    @RequestMapping(path = "/userinfo", method = {RequestMethod.GET, RequestMethod.POST})
    Map<String, Object> userinfo(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
        AccessGrant grant = tokens.requireAccessToken(providers.idp(), authorization);
        return data.patient(grant.subject()).map(TokenService::userClaims)
                .orElseThrow(() -> ApiException.notFound("User"));
    }
}
