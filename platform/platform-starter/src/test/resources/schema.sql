-- The outbox tables come from the starter's Flyway location (db/clinicwave-outbox, see application.yml).
-- Free text stored by the starter's tests (hostile input, database outages).
create table if not exists note (
    id   bigserial primary key,
    text text not null
);
