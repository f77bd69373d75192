-- An idempotent answer is kept as the bytes first sent, with the headers that go with them
-- (Location): jsonb reordered the keys of the body, so a retry got other bytes than the first
-- answer. The record an answer names has a column of its own, so that erasing a deleted record
-- finds its answers whatever their shape. A row kept before has no headers and holds the
-- admission's JSON: a retry answers it anew and keeps those bytes.
alter table idempotency_keys add column record_id text, add column headers jsonb;
update idempotency_keys set record_id = body->>'id';
alter table idempotency_keys alter column body type text using body::text;
create index idempotency_keys_record on idempotency_keys (record_id);
