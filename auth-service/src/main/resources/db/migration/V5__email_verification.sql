-- Issue 13, item 5: whether a user's email address is verified. A federated login is linked automatically to an
-- existing local account with the same email only when that account's email is verified (otherwise anyone could
-- register a local account under someone else's address and inherit their federated sign-in).
alter table app_user add column email_verified boolean not null default false;
