-- Introspection and revocation without a token_type_hint look a token up in every token column at once
-- (state OR code OR access OR id OR refresh OR user code OR device code): without these two indexes that
-- OR turns into a sequential scan of every authorization.
create index oauth2_authorization_user_code_idx on oauth2_authorization using hash (user_code_value);
create index oauth2_authorization_device_code_idx on oauth2_authorization using hash (device_code_value);
