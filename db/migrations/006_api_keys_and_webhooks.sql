-- API keys: only a hash of each key's secret is kept; the key itself is shown once, when made.
create table api_keys (
  id text primary key,
  name text not null unique,
  role text not null check (role in ('ivr', 'web', 'agent', 'admin', 'integration')),
  secret_sha256 text not null,
  created_at timestamptz not null default now(),
  created_by text not null,
  revoked_at timestamptz,
  last_used_at timestamptz
);

-- Secrets the API processes share, made once: the key that signs customers' self-service tokens.
create table api_secrets (
  name text primary key,
  value text not null,
  created_at timestamptz not null default now()
);

-- Webhooks: a URL subscribed to record events, with the secret its deliveries are signed with.
-- `events` holds history event types, or '*' for every one. The secret is kept as given: the
-- worker needs it to sign (HMAC), so it cannot be hashed like an API key.
create table webhook_subscriptions (
  id uuid primary key,
  url text not null,
  events text[] not null,
  secret text not null,
  active boolean not null default true,
  description text,
  created_at timestamptz not null default now(),
  created_by text not null,
  updated_at timestamptz not null default now()
);

-- The outbox: one row per event and subscription, written in the transaction that saves the
-- event, so that no event is lost between the database and the receiver. A pending row is sent
-- when it is its subscription's oldest pending one and `next_attempt_at` has come; while a worker
-- sends it, `next_attempt_at` is its lease. It fails for good when a retry would fall after the
-- give-up age counted from `retrying_since` (its creation, or an administrator's retry). Once
-- delivered, its payload (the customer's data) is dropped to JSON null: it is never sent again.
create table webhook_deliveries (
  id bigserial primary key,
  subscription_id uuid not null references webhook_subscriptions (id) on delete cascade,
  event_id text not null,
  event_type text not null,
  record_id uuid not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  state text not null default 'pending' check (state in ('pending', 'delivered', 'failed')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  retrying_since timestamptz not null default now(),
  last_attempt_at timestamptz,
  last_status int,
  last_error text,
  delivered_at timestamptz,
  unique (subscription_id, event_id)
);
create index webhook_deliveries_pending on webhook_deliveries (subscription_id, id) where state = 'pending';
create index webhook_deliveries_of_subscription on webhook_deliveries (subscription_id, id);
create index webhook_deliveries_finished on webhook_deliveries (created_at) where state <> 'pending';

-- Every attempt to send a delivery: when, how long, and the receiver's status or the error.
create table webhook_attempts (
  id bigserial primary key,
  delivery_id bigint not null references webhook_deliveries (id) on delete cascade,
  at timestamptz not null,
  duration_ms int not null,
  status int,
  error text
);
create index webhook_attempts_of_delivery on webhook_attempts (delivery_id, id);
