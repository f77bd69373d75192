-- A queue's offer timeout may now be left to the offerTimeoutSeconds parameter (null).
alter table queues alter column offer_timeout_seconds drop not null, alter column offer_timeout_seconds drop default;
create index callbacks_closed_with_agent on callbacks (closed_at) where status = 'Closed' and latest_agent is not null;
