-- An idempotent answer is kept as the bytes first sent, with the headers that go with them
-- (Location): jsonb reordered the keys of the body, so a retry got other bytes than the first
-- answer. A row kept before has no headers and holds the admission's JSON: a retry answers it
-- anew and keeps those bytes.
alter table idempotency_keys alter column body type text using body::text;
alter table idempotency_keys add column headers jsonb;
