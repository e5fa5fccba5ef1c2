-- A projection of provider-connection-service's connections, fed only by connection.events (and, on a miss,
-- by its internal API): who owns a connection, whether it may be synced, and when it is next due.
create table connection (
    id                uuid primary key,
    consumer_id       varchar(100) not null,
    tenant_id         varchar(100),
    provider_key      varchar(100) not null,
    provider_type     varchar(30)  not null,
    status            varchar(30)  not null,
    schedule_paused   boolean      not null default false,
    next_sync_at      timestamptz,
    last_sync_at      timestamptz,
    sync_cursor       varchar(500),
    consecutive_failures integer   not null default 0,
    created_at        timestamptz  not null default now(),
    updated_at        timestamptz  not null default now()
);
-- The scheduler claims due rows with FOR UPDATE SKIP LOCKED; this index keeps that scan small.
create index connection_due_idx on connection (next_sync_at)
    where status = 'active' and schedule_paused = false;

create table claim (
    id                     uuid primary key,
    connection_id          uuid          not null references connection (id) on delete cascade,
    provider_claim_id      varchar(200)  not null,
    claim_type             varchar(50)   not null,
    service_date           date,
    provider_name          varchar(500),
    patient_name           varchar(500),
    service_description    text,
    total_amount           numeric(14, 2) not null default 0,
    patient_responsibility numeric(14, 2) not null default 0,
    currency               char(3)       not null default 'USD',
    status                 varchar(50)   not null,
    verification_status    varchar(20)   not null default 'unverified'
        check (verification_status in ('unverified', 'verified', 'disputed')),
    source_last_updated    timestamptz,
    created_at             timestamptz   not null default now(),
    updated_at             timestamptz   not null default now(),
    constraint claim_provider_claim_uk unique (connection_id, provider_claim_id)
);
-- Listing a connection's claims newest first, optionally by status / type / service date range.
create index claim_connection_service_date_idx on claim (connection_id, service_date desc, id desc);

create table sync_run (
    id              uuid primary key,
    connection_id   uuid         not null references connection (id) on delete cascade,
    trigger         varchar(20)  not null check (trigger in ('manual', 'initial', 'scheduled')),
    status          varchar(20)  not null check (status in ('running', 'succeeded', 'failed')),
    claims_created  integer      not null default 0,
    claims_updated  integer      not null default 0,
    claims_unchanged integer     not null default 0,
    cursor_from     varchar(500),
    cursor_to       varchar(500),
    error_code      varchar(100),
    error           varchar(1000),
    started_at      timestamptz  not null default now(),
    heartbeat_at    timestamptz  not null default now(),
    finished_at     timestamptz
);
-- At most one running sync per connection: concurrent triggers coalesce by joining the running one.
create unique index sync_run_one_running_uk on sync_run (connection_id) where status = 'running';
create index sync_run_connection_idx on sync_run (connection_id, started_at desc);
