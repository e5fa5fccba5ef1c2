-- Transactional outbox: events are written here in the same transaction as the change they describe and
-- relayed to Kafka by the platform's OutboxRelay (clinicwave-platform-starter).
create table event_outbox (
    id           uuid primary key,
    topic        varchar(200) not null,
    event_key    varchar(200),
    event_type   varchar(200) not null,
    payload      text         not null,
    created_at   timestamptz  not null default now(),
    published_at timestamptz
);
create index event_outbox_pending_idx on event_outbox (created_at) where published_at is null;

-- Idempotent consumers: one row per (consumer, event id) already handled.
create table processed_event (
    consumer     varchar(100) not null,
    event_id     varchar(100) not null,
    processed_at timestamptz  not null default now(),
    primary key (consumer, event_id)
);
