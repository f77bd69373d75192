-- Real telephony (issue 14). One row per call we place: its id is ours (`<record>:<attempt>`),
-- written before the provider is asked, so that a retried dial finds the call it may already have
-- made. The provider's status callbacks land in telephony_call_events (any API process); the
-- first outcome they decide is kept in the call's row and completes the waiting dial activity.
create table telephony_calls (
  call_id text primary key,
  record_id text not null,
  adapter text not null,
  queue text not null,
  agent_id text,
  agent_device text,
  customer_phone text not null,
  caller_id text,
  max_ring_seconds integer not null,
  max_call_seconds integer not null,
  -- The provider's id of the call it made for us (Twilio: the agent leg's CallSid); null until known.
  provider_call_id text,
  -- The dial activity waiting for this call's outcome (asynchronous completion).
  task_token bytea,
  outcome text,
  outcome_detail jsonb not null default '{}',
  -- The waiting activity is the first release's `dial`, which takes the bare outcome.
  bare_result boolean not null default false,
  -- Set once the waiting activity was told the outcome (or returned it itself).
  completed_at timestamptz,
  -- Set when the provider was asked to hang up (answering machine, fax).
  hung_up_at timestamptz,
  last_heartbeat_at timestamptz not null default now(),
  -- When the keeper last asked the provider for the call's state (a status callback may be lost).
  last_reconciled_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index telephony_calls_record on telephony_calls (record_id);
create index telephony_calls_pending on telephony_calls (last_heartbeat_at) where completed_at is null;
create unique index telephony_calls_provider on telephony_calls (adapter, provider_call_id) where provider_call_id is not null;

-- Every status callback as received, once: a duplicate (the same leg and status) adds nothing.
create table telephony_call_events (
  id bigserial primary key,
  call_id text not null references telephony_calls (call_id) on delete cascade,
  leg text not null check (leg in ('agent', 'customer')),
  status text not null,
  answered_by text,
  sip_code integer,
  provider_leg_id text,
  raw jsonb not null default '{}',
  received_at timestamptz not null default now(),
  unique (call_id, leg, status)
);

-- Per queue: whom to call first, which number the customer sees, and the limits of a call.
create table queue_telephony (
  queue text primary key references queues (name) on delete cascade,
  -- A phone number (E.164) or `client:<identity>` of the queue's agent device; the agent
  -- directory's device takes its place when there is one.
  agent_device text,
  caller_id text,
  max_ring_seconds integer not null default 30 check (max_ring_seconds between 5 and 120),
  max_call_seconds integer not null default 3600 check (max_call_seconds between 60 and 14400),
  updated_at timestamptz not null default now()
);

-- The device an agent named when accepting a record: called first on the agent's next dial.
create table agent_devices (
  agent_id text primary key,
  device text not null,
  updated_at timestamptz not null default now()
);
