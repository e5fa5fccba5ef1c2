-- The provider catalog: one row per provider ClinicWave can connect to, with its OAuth client configuration.
-- The client secret is stored only as Tink AEAD ciphertext (associated data = 'provider:' || provider_key).
create table provider (
    id                        uuid primary key,
    provider_key              varchar(50)  not null unique,
    name                      varchar(200) not null,
    display_name              varchar(200) not null,
    description               text,
    logo_url                  text,
    website_url               text,
    provider_type             varchar(20)  not null check (provider_type in ('fhir', 'athenahealth')),
    status                    varchar(20)  not null default 'active' check (status in ('active', 'disabled')),
    oauth_enabled             boolean      not null default true,
    authorization_url         text         not null,
    token_url                 text         not null,
    revocation_url            text,
    issuer                    text,
    client_id                 varchar(200) not null,
    client_secret_ciphertext  bytea,
    client_auth_method        varchar(30)  not null
        check (client_auth_method in ('client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none')),
    scopes                    text         not null,
    pkce_required             boolean      not null default true,
    additional_params         text         not null default '{}',
    api_base_url              text,
    fhir_base_url             text,
    created_at                timestamptz  not null default now(),
    updated_at                timestamptz  not null default now()
);

-- Versioned terms per provider; at most one active version.
create table provider_terms (
    provider_key   varchar(50)  not null references provider (provider_key) on update cascade,
    version        varchar(20)  not null,
    terms_text     text         not null,
    effective_date date         not null,
    is_active      boolean      not null default false,
    created_at     timestamptz  not null default now(),
    primary key (provider_key, version)
);
create unique index provider_terms_one_active on provider_terms (provider_key) where is_active;

-- A consumer's connection to a provider account. Tokens only as AEAD ciphertext (associated data = the connection
-- id and the token kind), destroyed (set to null) on delete and when the provider refuses a refresh.
create table connection (
    id                        uuid primary key,
    consumer_id               uuid         not null,
    tenant_id                 uuid,
    provider_key              varchar(50)  not null,
    provider_type             varchar(20)  not null,
    connection_name           varchar(200) not null,
    status                    varchar(20)  not null
        check (status in ('pending', 'active', 'reauth_required', 'revoked', 'error')),
    access_token_ciphertext   bytea,
    refresh_token_ciphertext  bytea,
    token_type                varchar(40),
    scope                     text,
    token_expires_at          timestamptz,
    patient_id                varchar(200),
    practice_id               varchar(200),
    terms_version             varchar(20),
    status_reason             varchar(200),
    last_refreshed_at         timestamptz,
    last_sync_at              timestamptz,
    next_sync_at              timestamptz,
    created_at                timestamptz  not null default now(),
    updated_at                timestamptz  not null default now(),
    deleted_at                timestamptz
);
create index connection_consumer_idx on connection (consumer_id) where deleted_at is null;
create index connection_refresh_due_idx on connection (token_expires_at) where status = 'active';

-- Recorded when a consumer accepts a provider's terms at initiate.
create table terms_acceptance (
    id           uuid primary key,
    consumer_id  uuid        not null,
    tenant_id    uuid,
    provider_key varchar(50) not null,
    version      varchar(20) not null,
    accepted_at  timestamptz not null default now()
);
create index terms_acceptance_consumer_idx on terms_acceptance (consumer_id, provider_key);

-- Who did what, when, under which trace: every step of every connection. Never tokens or secrets.
create table audit_event (
    id            bigserial primary key,
    occurred_at   timestamptz  not null default now(),
    actor         varchar(200) not null,
    actor_type    varchar(20)  not null,
    action        varchar(60)  not null,
    outcome       varchar(40)  not null,
    connection_id uuid,
    provider_key  varchar(50),
    consumer_id   uuid,
    detail        varchar(500),
    trace_id      varchar(64)
);
create index audit_event_connection_idx on audit_event (connection_id, occurred_at);
create index audit_event_consumer_idx on audit_event (consumer_id, occurred_at);
