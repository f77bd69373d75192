-- A queue's wrap-up limit: a connected record with no feedback from its agent this long after the
-- customer answered counts as agent-client-terminated and gives its place in the queue back.
alter table queues add column wrap_up_timeout_seconds integer not null default 1800
  check (wrap_up_timeout_seconds between 1 and 86400);

-- What an agent holds until the feedback or the wrap-up limit: read at every accept.
create index callbacks_held_by_agent on callbacks (agent_id, org_area) where stage in ('accepted', 'dialling', 'connected');
