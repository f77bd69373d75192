-- Treatments per organisation area and queue, the audit log of administration, and the record
-- fields that pausing, closing during a call, refusals and personal waiting lists need.
create table treatments (
  -- 'org-area': the area's standard set; 'queue': the queue's exception to it.
  scope text not null check (scope in ('org-area', 'queue')),
  name text not null,
  treatment jsonb not null,
  updated_by text not null,
  updated_at timestamptz not null default now(),
  primary key (scope, name)
);

-- Who did or searched for what, and when. Rows hold filters and changes, never whole records.
create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  actor text not null,
  action text not null,
  record_id text,
  filter jsonb,
  detail jsonb not null default '{}',
  -- 'ok', or the problem type the action was refused with.
  result text not null
);
create index audit_log_at on audit_log (at desc, id desc);
create index audit_log_record on audit_log (record_id, at desc) where record_id is not null;
create index audit_log_actor on audit_log (actor, at desc);

alter table callbacks
  add column waiting_list_of text,
  add column refused_by jsonb not null default '[]',
  add column close_request jsonb,
  add column copied_from text;

create index callbacks_created on callbacks (created_at desc, id desc);
