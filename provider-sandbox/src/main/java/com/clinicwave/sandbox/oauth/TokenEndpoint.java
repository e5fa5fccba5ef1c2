package com.clinicwave.sandbox.oauth;

import com.clinicwave.sandbox.provider.Provider;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.util.MultiValueMap;

/** The token and revocation endpoints: client authentication, then the grant. */
@Service
public class TokenEndpoint {

    private final ClientAuthenticator authenticator;
    private final TokenService tokens;

    TokenEndpoint(ClientAuthenticator authenticator, TokenService tokens) {
        this.authenticator = authenticator;
        this.tokens = tokens;
    }

    public Map<String, Object> token(Provider provider, @Nullable String authorization,
            MultiValueMap<String, String> params) {
        rejectRepeated(params);
        RegisteredClient client = authenticator.authenticate(provider, authorization, params).client();
        String grantType = params.getFirst("grant_type");
        if (grantType == null) {
            throw OAuthException.invalidRequest("grant_type is required");
        }
        return switch (grantType) {
            case "authorization_code" -> tokens.exchangeCode(provider, client, params);
            case "refresh_token" -> tokens.refresh(provider, client, params);
            default -> throw new OAuthException(HttpStatus.BAD_REQUEST, "unsupported_grant_type",
                    "Only authorization_code and refresh_token");
        };
    }

    public void revoke(Provider provider, @Nullable String authorization, MultiValueMap<String, String> params) {
        rejectRepeated(params);
        RegisteredClient client = authenticator.authenticate(provider, authorization, params).client();
        String token = params.getFirst("token");
        if (token == null || token.isBlank()) {
            throw OAuthException.invalidRequest("token is required");
        }
        tokens.revoke(provider, client, token);
    }

    /** RFC 6749 §3.2: request parameters must not be included more than once. */
    private static void rejectRepeated(MultiValueMap<String, String> params) {
        for (Map.Entry<String, List<String>> entry : params.entrySet()) {
            if (entry.getValue().size() > 1) {
                throw OAuthException.invalidRequest(entry.getKey() + " must be sent once");
            }
        }
    }
}
