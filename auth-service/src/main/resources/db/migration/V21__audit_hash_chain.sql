-- Issue 16, item 4: the audit trail is hash-chained per tenant (rows with no tenant form their own chain). Each row
-- stores its position in its chain, the previous row's hash and the SHA-256 of its own content + that previous hash
-- (computed by AuditLog; rows written before this migration are chained at the next start by AuditChainBackfill).
alter table audit_event add column chain_seq bigint;
alter table audit_event add column prev_hash varchar(64);
alter table audit_event add column row_hash varchar(64);
create index audit_event_chain_idx on audit_event (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), chain_seq);
create index audit_event_tenant_time_idx on audit_event (tenant_id, occurred_at);

insert into permission (name, description) values
    ('audit:read', 'Read, export and verify the audit trail of the tenant')
on conflict do nothing;
insert into role_permission (role_id, permission)
select id, 'audit:read' from role where name = 'tenant_admin'
on conflict do nothing;
