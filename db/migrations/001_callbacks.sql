-- Callback records: the queryable copy of every record workflow's state, and its history.
create table callbacks (
  id text primary key,
  phone text not null,
  queue text not null,
  org_area text not null,
  channel text not null,
  created_by text not null,
  task_type text,
  requested_at timestamptz,
  valid_until timestamptz,
  priority smallint not null check (priority between 1 and 9),
  customer_id text,
  ani text,
  comment text,
  language text,
  contact_data jsonb not null default '{}',
  status text not null,
  stage text not null,
  due_at timestamptz not null,
  rank_at timestamptz not null,
  attempts integer not null default 0,
  outcome_counts jsonb not null default '{}',
  latest_outcome text,
  latest_agent text,
  latest_call_at timestamptz,
  agent_id text,
  close_reason text,
  closed_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null default now(),
  -- The number of history events the row reflects: a write from the workflow only ever moves it forward.
  version integer not null default 0
);

create index callbacks_queue_offered on callbacks (queue, priority, rank_at) where stage = 'offered';
create index callbacks_queue_status on callbacks (queue, status, due_at);
create index callbacks_phone on callbacks (phone);

create table callback_events (
  record_id text not null references callbacks (id) on delete cascade,
  seq integer not null,
  at timestamptz not null,
  type text not null,
  actor text not null,
  detail jsonb not null default '{}',
  primary key (record_id, seq)
);

-- The simulated dialler's call log: what a telephony platform would keep. One row per attempt,
-- so that a retried dial activity picks up the call it already placed instead of dialling again.
create table simulated_calls (
  call_id text primary key,
  record_id text not null,
  phone text not null,
  outcome text not null,
  ring_ms integer not null,
  placed_at timestamptz not null default now()
);
