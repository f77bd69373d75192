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
create table webhook_subscriptions (
  id uuid primary key,
  url text not null,
  events text[] not null,
  secret text not null,
  active boolean not null default true,
  description text,
  created_at timestamptz not null default now(),
  created_by text not null
);

-- The outbox: one row per event and subscription, written in the transaction that saves the
-- event, so that no event is lost between the database and the receiver.
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
  last_attempt_at timestamptz,
  last_status int,
  last_error text,
  delivered_at timestamptz,
  unique (subscription_id, event_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'pending';
create index webhook_deliveries_of_subscription on webhook_deliveries (subscription_id, id);
