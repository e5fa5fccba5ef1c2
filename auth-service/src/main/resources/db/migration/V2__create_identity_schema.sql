-- Identity: tenants, users (unique per tenant), RBAC, API keys, signing keys, audit, federation links.
create table tenant (
    id                 uuid primary key,
    tenant_key         varchar(63)  not null unique,
    name               varchar(200) not null,
    open_registration  boolean      not null default true,
    created_at         timestamptz  not null default now()
);

create table app_user (
    id                uuid primary key,
    tenant_id         uuid         not null references tenant (id),
    username          varchar(100) not null,
    email             varchar(320),
    password_hash     varchar(500),
    enabled           boolean      not null default true,
    locked_until      timestamptz,
    created_at        timestamptz  not null default now(),
    last_login_at     timestamptz,
    unique (tenant_id, username)
);
create unique index app_user_email_idx on app_user (tenant_id, lower(email)) where email is not null;

create table permission (
    name        varchar(100) primary key,
    description varchar(300)
);

create table role (
    id          uuid primary key,
    tenant_id   uuid         not null references tenant (id),
    name        varchar(100) not null,
    description varchar(300),
    unique (tenant_id, name)
);

create table role_permission (
    role_id    uuid         not null references role (id) on delete cascade,
    permission varchar(100) not null references permission (name),
    primary key (role_id, permission)
);

create table user_role (
    user_id uuid not null references app_user (id) on delete cascade,
    role_id uuid not null references role (id) on delete cascade,
    primary key (user_id, role_id)
);

create table api_key (
    id           uuid primary key,
    user_id      uuid         not null references app_user (id) on delete cascade,
    tenant_id    uuid         not null references tenant (id),
    name         varchar(100) not null,
    prefix       varchar(20)  not null,
    key_hash     varchar(64)  not null unique,
    scopes       varchar(1000) not null,
    created_at   timestamptz  not null default now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
create index api_key_user_idx on api_key (user_id);

-- Token-signing keys, private part encrypted with AES-GCM under AUTH_KEY_ENCRYPTION_KEY.
create table signing_key (
    kid                 varchar(64) primary key,
    algorithm           varchar(10) not null,
    public_jwk          text        not null,
    private_key_enc     text        not null,
    created_at          timestamptz not null default now(),
    activates_at        timestamptz not null,
    retired_at          timestamptz,
    expires_at          timestamptz
);

create table audit_event (
    id          bigserial primary key,
    occurred_at timestamptz  not null default now(),
    tenant_id   uuid,
    user_id     uuid,
    actor       varchar(200),
    event_type  varchar(100) not null,
    ip          varchar(64),
    detail      varchar(1000)
);
create index audit_event_user_idx on audit_event (user_id, occurred_at);

-- Accounts at external OIDC providers linked to local users (federation).
create table federated_identity (
    provider     varchar(100) not null,
    subject      varchar(255) not null,
    user_id      uuid         not null references app_user (id) on delete cascade,
    created_at   timestamptz  not null default now(),
    primary key (provider, subject)
);

-- Spring Authorization Server's schema (PostgreSQL: text instead of blob, timestamptz).
create table oauth2_registered_client (
    id                            varchar(100)  not null primary key,
    client_id                     varchar(100)  not null unique,
    client_id_issued_at           timestamptz   not null default current_timestamp,
    client_secret                 varchar(200),
    client_secret_expires_at      timestamptz,
    client_name                   varchar(200)  not null,
    client_authentication_methods varchar(1000) not null,
    authorization_grant_types     varchar(1000) not null,
    redirect_uris                 varchar(1000),
    post_logout_redirect_uris     varchar(1000),
    scopes                        varchar(1000) not null,
    client_settings               varchar(2000) not null,
    token_settings                varchar(2000) not null
);

create table oauth2_authorization (
    id                            varchar(100) not null primary key,
    registered_client_id          varchar(100) not null,
    principal_name                varchar(200) not null,
    authorization_grant_type      varchar(100) not null,
    authorized_scopes             varchar(1000),
    attributes                    text,
    state                         varchar(500),
    authorization_code_value      text,
    authorization_code_issued_at  timestamptz,
    authorization_code_expires_at timestamptz,
    authorization_code_metadata   text,
    access_token_value            text,
    access_token_issued_at        timestamptz,
    access_token_expires_at       timestamptz,
    access_token_metadata         text,
    access_token_type             varchar(100),
    access_token_scopes           varchar(1000),
    oidc_id_token_value           text,
    oidc_id_token_issued_at       timestamptz,
    oidc_id_token_expires_at      timestamptz,
    oidc_id_token_metadata        text,
    refresh_token_value           text,
    refresh_token_issued_at       timestamptz,
    refresh_token_expires_at      timestamptz,
    refresh_token_metadata        text,
    user_code_value               text,
    user_code_issued_at           timestamptz,
    user_code_expires_at          timestamptz,
    user_code_metadata            text,
    device_code_value             text,
    device_code_issued_at         timestamptz,
    device_code_expires_at        timestamptz,
    device_code_metadata          text
);
-- Lookups by token value (token endpoint, introspection, revocation) must not scan the table.
create index oauth2_authorization_state_idx on oauth2_authorization using hash (state);
create index oauth2_authorization_code_idx on oauth2_authorization using hash (authorization_code_value);
create index oauth2_authorization_access_idx on oauth2_authorization using hash (access_token_value);
create index oauth2_authorization_refresh_idx on oauth2_authorization using hash (refresh_token_value);
create index oauth2_authorization_id_token_idx on oauth2_authorization using hash (oidc_id_token_value);
create index oauth2_authorization_principal_idx on oauth2_authorization (principal_name);

create table oauth2_authorization_consent (
    registered_client_id varchar(100)  not null,
    principal_name       varchar(200)  not null,
    authorities          varchar(1000) not null,
    primary key (registered_client_id, principal_name)
);

insert into permission (name, description) values
    ('connections:read', 'Read own provider connections'),
    ('connections:write', 'Create and delete own provider connections'),
    ('claims:read', 'Read own claims'),
    ('claims:sync', 'Trigger claim synchronisation'),
    ('claims:verify', 'Verify or dispute claims'),
    ('athena:read', 'Read the athenahealth patient account'),
    ('apikeys:manage', 'Manage own API keys'),
    ('providers:admin', 'Administer the provider catalog'),
    ('users:admin', 'Administer users and roles of the tenant'),
    ('connections:admin', 'Administer all connections of the tenant');
