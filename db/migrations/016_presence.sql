-- Presence and routing: what each agent is doing now, the record reserved for or held by them, and
-- every change of either, in order.
--
-- One row per agent is the whole truth of routing. A reservation is an update of the agent's row
-- from `available` (one row, one record: an agent never holds two), and the unique index on
-- record_id means a record is reserved for, or held by, one agent at most. Both hold whichever
-- process writes, across worker restarts and API scale-out: PostgreSQL decides, not a process.
create table agent_presence (
  agent_id text primary key references agents (id) on delete cascade,
  state text not null default 'offline'
    check (state in ('available', 'away', 'offered', 'on-call', 'wrap-up', 'offline')),
  -- Why away ("no answer" when an offer timed out); null otherwise.
  reason text,
  since timestamptz not null default now(),
  -- The record reserved for the agent (offered) or held by them (on-call, wrap-up).
  record_id text,
  -- When an offer runs out.
  reserved_until timestamptz,
  -- When the agent last became available: the longest idle is routed to first.
  idle_since timestamptz,
  -- When the agent's desk last listened (its event stream): silent too long, the agent goes offline.
  last_seen_at timestamptz,
  check ((state in ('offered', 'on-call', 'wrap-up')) = (record_id is not null)),
  check ((state = 'offered') = (reserved_until is not null))
);
create unique index agent_presence_record on agent_presence (record_id) where record_id is not null;
create index agent_presence_available on agent_presence (idle_since) where state = 'available';

insert into agent_presence (agent_id) select id from agents;

-- Every change of an agent's state, in order: the supervisor's history, statistics of offers
-- refused and timed out, and the proof that nobody was double-booked.
create table agent_presence_log (
  seq bigserial primary key,
  agent_id text not null,
  state text not null,
  reason text,
  record_id text,
  at timestamptz not null default clock_timestamp()
);
create index agent_presence_log_agent on agent_presence_log (agent_id, seq);
create index agent_presence_log_record on agent_presence_log (record_id, seq) where record_id is not null;

-- Every change of state, reason or record is logged and announced (NOTIFY agent_events, sent at
-- commit), whichever statement made it: the API's event streams push it to the desks.
create function agent_presence_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.state = new.state and old.record_id is not distinct from new.record_id
     and old.reason is not distinct from new.reason and old.reserved_until is not distinct from new.reserved_until then
    return new;
  end if;
  insert into agent_presence_log (agent_id, state, reason, record_id) values (new.agent_id, new.state, new.reason, new.record_id);
  perform pg_notify('agent_events', json_build_object('agentId', new.agent_id, 'state', new.state)::text);
  return new;
end $$;
create trigger agent_presence_changed after insert or update on agent_presence
  for each row execute function agent_presence_changed();
