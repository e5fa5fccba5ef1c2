package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * auth-service through the gateway, driven by a standard OIDC client library (Nimbus OAuth 2.0 SDK with OpenID
 * Connect extensions), not the project's own code: discovery resolved and checked against the public issuer,
 * authorization code + PKCE S256 for companion-web with the login form posted headlessly, ID token validated
 * (signature from the JWKS, issuer, audience, nonce), then refresh (rotation), userinfo, introspection and
 * revocation.
 */
class AuthSystemTests extends SuiteSystemTest {

    private static final ClientID CLIENT = new ClientID("companion-web");
    private static final URI REDIRECT = URI.create("http://127.0.0.1:5173/callback");

    @Test
    void discoveryIsServedThroughTheGatewayWithThePublicIssuer() throws Exception {
        // resolve() fails unless the document's issuer is exactly the one asked for.
        OIDCProviderMetadata provider = OIDCProviderMetadata.resolve(new Issuer(GATEWAY));
        assertThat(provider.getTokenEndpointURI()).isEqualTo(URI.create(GATEWAY + "/oauth2/token"));
        assertThat(provider.getCodeChallengeMethods()).containsExactly(CodeChallengeMethod.S256);
        assertThat(json(get(provider.getJWKSetURI().toString())).get("keys").size()).isPositive();
    }

    @Test
    void companionWebCompletesCodeFlowWithPkceThenRefreshUserinfoIntrospectionAndRevocation() throws Exception {
        OIDCProviderMetadata provider = OIDCProviderMetadata.resolve(new Issuer(GATEWAY));
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        Nonce nonce = new Nonce();
        AuthenticationRequest authorize = new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope("openid", "profile", "offline_access", "claims:read"), CLIENT, REDIRECT)
                .endpointURI(provider.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build();

        URI callback = loginInBrowser(authorize.toURI());
        AuthorizationResponse response = AuthorizationResponse.parse(callback);
        assertThat(response.indicatesSuccess()).as(callback.toString()).isTrue();
        assertThat(response.getState()).isEqualTo(state);
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();

        OIDCTokenResponse tokens = tokens(new TokenRequest(provider.getTokenEndpointURI(), CLIENT,
                new AuthorizationCodeGrant(code, REDIRECT, verifier)));
        JWT idToken = tokens.getOIDCTokens().getIDToken();
        IDTokenClaimsSet idClaims = new IDTokenValidator(provider.getIssuer(), CLIENT, JWSAlgorithm.RS256,
                provider.getJWKSetURI().toURL()).validate(idToken, nonce);
        assertThat(idClaims.getSubject().getValue()).isNotBlank();

        RefreshToken firstRefresh = tokens.getOIDCTokens().getRefreshToken();
        assertThat(firstRefresh).isNotNull();
        OIDCTokenResponse refreshed = tokens(new TokenRequest(provider.getTokenEndpointURI(), CLIENT,
                new RefreshTokenGrant(firstRefresh)));
        RefreshToken secondRefresh = refreshed.getOIDCTokens().getRefreshToken();
        assertThat(secondRefresh.getValue()).isNotEqualTo(firstRefresh.getValue());
        AccessToken access = refreshed.getOIDCTokens().getAccessToken();

        UserInfoResponse userInfo = UserInfoResponse.parse(
                new UserInfoRequest(provider.getUserInfoEndpointURI(), access).toHTTPRequest().send());
        assertThat(userInfo.indicatesSuccess()).isTrue();
        assertThat(userInfo.toSuccessResponse().getUserInfo().getSubject()).isEqualTo(idClaims.getSubject());

        ClientSecretBasic resourceServer = new ClientSecretBasic(new ClientID("demo-service"),
                new Secret("demo-service-secret"));
        assertThat(introspect(provider, resourceServer, access).toSuccessResponse().isActive()).isTrue();

        HTTPResponse revoked = new TokenRevocationRequest(provider.getRevocationEndpointURI(), CLIENT, secondRefresh)
                .toHTTPRequest().send();
        assertThat(revoked.getStatusCode()).isEqualTo(200);
        // Revoking the refresh token ends the session: its access token is no longer active either.
        assertThat(introspect(provider, resourceServer, access).toSuccessResponse().isActive()).isFalse();

        // The code is single-use: a second exchange is refused (and would revoke what it gave, ASVS 10.4.2).
        TokenResponse replay = TokenResponse.parse(new TokenRequest(provider.getTokenEndpointURI(), CLIENT,
                new AuthorizationCodeGrant(code, REDIRECT, verifier)).toHTTPRequest().send());
        assertThat(replay.indicatesSuccess()).isFalse();
    }

    private static OIDCTokenResponse tokens(TokenRequest request) throws Exception {
        TokenResponse response = OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as(() -> response.toErrorResponse().getErrorObject().toString())
                .isTrue();
        return (OIDCTokenResponse) response.toSuccessResponse();
    }

    private static TokenIntrospectionResponse introspect(OIDCProviderMetadata provider, ClientSecretBasic client,
            AccessToken token) throws Exception {
        TokenIntrospectionResponse response = TokenIntrospectionResponse.parse(
                new TokenIntrospectionRequest(provider.getIntrospectionEndpointURI(), client, token)
                        .toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).isTrue();
        return response;
    }

    /**
     * The user's part, as a browser without JavaScript does it: follow the authorize redirect to the login page,
     * post the form (with its CSRF field), follow the redirect back to authorize, and return where it sends us.
     */
    private static URI loginInBrowser(URI authorize) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> toLogin = browse(browser, authorize, null);
        assertThat(toLogin.statusCode()).isEqualTo(302);
        URI loginPage = authorize.resolve(toLogin.headers().firstValue("Location").orElseThrow());
        String page = browse(browser, loginPage, null).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).as("login page has a CSRF field").isTrue();
        HttpResponse<String> afterLogin = browse(browser, URI.create(GATEWAY + "/login"), form(Map.of(
                "username", DemoUser.USERNAME, "password", DemoUser.PASSWORD, "tenant", DemoUser.TENANT,
                "_csrf", csrf.group(1))));
        assertThat(afterLogin.statusCode()).isEqualTo(302);
        URI resumed = URI.create(GATEWAY + "/").resolve(afterLogin.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> toClient = browse(browser, resumed, null);
        assertThat(toClient.statusCode()).isEqualTo(302);
        return URI.create(toClient.headers().firstValue("Location").orElseThrow());
    }

    private static HttpResponse<String> browse(HttpClient browser, URI url, String formBody) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
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
}
