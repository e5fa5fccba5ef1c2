-- Issue 16: operators run auth-service without SQL.
-- Tenants can be disabled (no sign-in, every live token revoked) and answer to one or more domains.
alter table tenant add column enabled boolean not null default true;
alter table tenant add column disabled_at timestamptz;

create table tenant_domain (
    domain     varchar(253) primary key,
    tenant_id  uuid         not null references tenant (id) on delete cascade,
    created_at timestamptz  not null default now()
);
create index tenant_domain_tenant_idx on tenant_domain (tenant_id);

-- A bootstrapped (or admin-created) account must choose its own password at its first sign-in.
alter table app_user add column must_change_password boolean not null default false;
create index app_user_tenant_created_idx on app_user (tenant_id, created_at);

-- OAuth clients registered by a tenant's administrators (the suite's own clients have no row: not a tenant's).
create table tenant_client (
    client_id         varchar(100) primary key,
    tenant_id         uuid         not null references tenant (id),
    client_type       varchar(20)  not null,
    enabled           boolean      not null default true,
    created_by        varchar(200),
    created_at        timestamptz  not null default now(),
    secret_rotated_at timestamptz,
    disabled_at       timestamptz
);
create index tenant_client_tenant_idx on tenant_client (tenant_id, created_at);

insert into permission (name, description) values
    ('tenants:admin', 'Administer the tenants of the platform (platform administrators)'),
    ('clients:admin', 'Register and manage the OAuth clients of the tenant')
on conflict do nothing;
insert into role_permission (role_id, permission)
select id, 'clients:admin' from role where name = 'tenant_admin'
on conflict do nothing;
