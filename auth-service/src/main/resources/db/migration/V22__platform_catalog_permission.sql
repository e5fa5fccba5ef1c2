-- The provider catalog is shared by every tenant: changing it needs a platform permission that no tenant role holds
-- (provider-connection-service and the gateway require providers:platform-admin on /api/admin/providers/**).
insert into permission (name, description) values
    ('providers:platform-admin', 'Administer the provider catalog shared by every tenant (platform administrators)')
on conflict do nothing;
insert into role_permission (role_id, permission)
select r.id, 'providers:platform-admin' from role r join tenant t on t.id = r.tenant_id
where r.name = 'platform_admin' and t.tenant_key = 'platform'
on conflict do nothing;
