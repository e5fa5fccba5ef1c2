-- OAuth token values are stored as 'sha256:' || hex(SHA-256(value)) (HashedTokensAuthorizationService), never as
-- issued. Rows written before that are hashed here, so a lookup needs only the hash.
update oauth2_authorization
set authorization_code_value = 'sha256:' || encode(sha256(convert_to(authorization_code_value, 'UTF8')), 'hex')
where authorization_code_value is not null and authorization_code_value not like 'sha256:%';

update oauth2_authorization
set access_token_value = 'sha256:' || encode(sha256(convert_to(access_token_value, 'UTF8')), 'hex')
where access_token_value is not null and access_token_value not like 'sha256:%';

update oauth2_authorization
set refresh_token_value = 'sha256:' || encode(sha256(convert_to(refresh_token_value, 'UTF8')), 'hex')
where refresh_token_value is not null and refresh_token_value not like 'sha256:%';

update oauth2_authorization
set oidc_id_token_value = 'sha256:' || encode(sha256(convert_to(oidc_id_token_value, 'UTF8')), 'hex')
where oidc_id_token_value is not null and oidc_id_token_value not like 'sha256:%';
