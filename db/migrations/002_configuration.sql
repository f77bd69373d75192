-- Organisation areas, queues, system parameters, and the idempotency keys of creations.
create table org_areas (
  id text primary key,
  name text not null,
  -- Active records (Open, Paused, Active) allowed in the area at once; null: no limit.
  max_active_records integer check (max_active_records >= 0),
  duplicate_policy text not null default 'avoid'
    check (duplicate_policy in ('allow', 'avoid', 'avoid-same-task-type')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table queues (
  name text primary key,
  org_area text not null references org_areas (id),
  time_zone text not null,
  opening_hours jsonb not null,
  max_active_records integer check (max_active_records >= 0),
  offer_timeout_seconds integer not null default 120 check (offer_timeout_seconds > 0),
  -- Records in the queue at once (offered, dialled, in a call, in wrap-up); null: callbackBufferMax.
  gate_size integer check (gate_size > 0),
  accepts_callbacks boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table system_parameters (
  name text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);

create table idempotency_keys (
  key text primary key,
  request_hash text not null,
  status integer not null,
  body jsonb not null,
  created_at timestamptz not null default now()
);

create index callbacks_active_area on callbacks (org_area, phone) where status in ('Open', 'Paused', 'Active');
create index callbacks_active_queue on callbacks (queue) where status in ('Open', 'Paused', 'Active');

-- A fresh install takes callbacks at once: one area, one queue open on weekdays.
insert into org_areas (id, name) values ('default', 'Default');
insert into queues (name, org_area, time_zone, opening_hours) values (
  'support', 'default', 'Europe/Stockholm',
  '{"monday":[{"from":"08:00","to":"17:00"}],"tuesday":[{"from":"08:00","to":"17:00"}],"wednesday":[{"from":"08:00","to":"17:00"}],"thursday":[{"from":"08:00","to":"17:00"}],"friday":[{"from":"08:00","to":"17:00"}]}'
);
