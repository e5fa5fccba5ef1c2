package com.clinicwave.connections.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The catalog's rows. */
@Repository
public class ProviderRepository {

    private static final TypeReference<Map<String, String>> PARAMS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ProviderRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public List<Provider> findAll() {
        return jdbc.sql("select * from provider order by name").query(this::map).list();
    }

    public Optional<Provider> findByKey(String providerKey) {
        return jdbc.sql("select * from provider where provider_key = :key").param("key", providerKey)
                .query(this::map).optional();
    }

    public boolean exists(String providerKey) {
        return jdbc.sql("select count(*) from provider where provider_key = :key").param("key", providerKey)
                .query(Long.class).single() > 0;
    }

    /** Inserts or replaces the provider's configuration; the secret ciphertext is replaced only when given. */
    public void upsert(Provider p, boolean replaceSecret) {
        jdbc.sql("""
                insert into provider (id, provider_key, name, display_name, description, logo_url, website_url,
                    provider_type, status, oauth_enabled, authorization_url, token_url, revocation_url, issuer,
                    client_id, client_secret_ciphertext, client_auth_method, scopes, pkce_required, additional_params,
                    api_base_url, fhir_base_url)
                values (:id, :key, :name, :displayName, :description, :logoUrl, :websiteUrl, :providerType, :status,
                    :oauthEnabled, :authorizationUrl, :tokenUrl, :revocationUrl, :issuer, :clientId, :secret,
                    :clientAuthMethod, :scopes, :pkceRequired, :additionalParams, :apiBaseUrl, :fhirBaseUrl)
                on conflict (provider_key) do update set
                    name = excluded.name, display_name = excluded.display_name, description = excluded.description,
                    logo_url = excluded.logo_url, website_url = excluded.website_url,
                    provider_type = excluded.provider_type, status = excluded.status,
                    oauth_enabled = excluded.oauth_enabled, authorization_url = excluded.authorization_url,
                    token_url = excluded.token_url, revocation_url = excluded.revocation_url, issuer = excluded.issuer,
                    client_id = excluded.client_id,
                    client_secret_ciphertext = case when :replaceSecret then excluded.client_secret_ciphertext
                        else provider.client_secret_ciphertext end,
                    client_auth_method = excluded.client_auth_method, scopes = excluded.scopes,
                    pkce_required = excluded.pkce_required, additional_params = excluded.additional_params,
                    api_base_url = excluded.api_base_url, fhir_base_url = excluded.fhir_base_url, updated_at = now()
                """)
                .param("id", p.id())
                .param("key", p.providerKey())
                .param("name", p.name())
                .param("displayName", p.displayName())
                .param("description", p.description())
                .param("logoUrl", p.logoUrl())
                .param("websiteUrl", p.websiteUrl())
                .param("providerType", p.providerType())
                .param("status", p.status())
                .param("oauthEnabled", p.oauthEnabled())
                .param("authorizationUrl", p.authorizationUrl())
                .param("tokenUrl", p.tokenUrl())
                .param("revocationUrl", p.revocationUrl())
                .param("issuer", p.issuer())
                .param("clientId", p.clientId())
                .param("secret", p.clientSecretCiphertext())
                .param("clientAuthMethod", p.clientAuthMethod())
                .param("scopes", p.scopes())
                .param("pkceRequired", p.pkceRequired())
                .param("additionalParams", json.writeValueAsString(p.additionalParams()))
                .param("apiBaseUrl", p.apiBaseUrl())
                .param("fhirBaseUrl", p.fhirBaseUrl())
                .param("replaceSecret", replaceSecret)
                .update();
    }

    /** Rows whose secret is encrypted under a non-primary key: for re-encryption. */
    public List<Map.Entry<String, byte[]>> secrets() {
        return jdbc.sql("select provider_key, client_secret_ciphertext from provider "
                        + "where client_secret_ciphertext is not null")
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getBytes(2))).list();
    }

    public void replaceSecret(String providerKey, byte[] oldCiphertext, byte[] newCiphertext) {
        jdbc.sql("update provider set client_secret_ciphertext = :new where provider_key = :key "
                        + "and client_secret_ciphertext = :old")
                .param("new", newCiphertext).param("key", providerKey).param("old", oldCiphertext).update();
    }

    private Provider map(ResultSet rs, int row) throws SQLException {
        return new Provider(rs.getObject("id", UUID.class), rs.getString("provider_key"), rs.getString("name"),
                rs.getString("display_name"), rs.getString("description"), rs.getString("logo_url"),
                rs.getString("website_url"), rs.getString("provider_type"), rs.getString("status"),
                rs.getBoolean("oauth_enabled"), rs.getString("authorization_url"), rs.getString("token_url"),
                rs.getString("revocation_url"), rs.getString("issuer"), rs.getString("client_id"),
                rs.getBytes("client_secret_ciphertext"), rs.getString("client_auth_method"), rs.getString("scopes"),
                rs.getBoolean("pkce_required"), json.readValue(rs.getString("additional_params"), PARAMS),
                rs.getString("api_base_url"), rs.getString("fhir_base_url"));
    }
}
