-- Appointment schedules, their exception dates, and the booking a record holds.
create table schedules (
  id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  name text not null check (length(btrim(name)) between 1 and 100),
  org_area text not null references org_areas (id),
  queue text not null references queues (name),
  task_type text,
  time_zone text not null,
  active boolean not null default true,
  -- Per weekday: {"periods": [{"from": "08:00", "to": "12:00"}], "minutesPerAppointment": 15}.
  week jsonb not null,
  capacity integer not null check (capacity between 1 and 10000),
  horizon_days integer not null check (horizon_days between 1 and 366),
  minimum_notice_minutes integer not null check (minimum_notice_minutes between 0 and 43200),
  identification text not null check (identification in ('none', 'customer-id', 'customer-id-and-phone')),
  priority smallint not null check (priority between 1 and 9),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- A date with other hours than its weekday's; no periods: closed (a holiday).
create table schedule_exceptions (
  schedule_id text not null references schedules (id) on delete cascade,
  date date not null,
  periods jsonb not null default '[]',
  minutes_per_appointment integer check (minutes_per_appointment between 5 and 480),
  note text,
  primary key (schedule_id, date),
  check (jsonb_array_length(periods) = 0 or minutes_per_appointment is not null)
);

-- A booked record's place: a record of a schedule's slot takes one of its places until it closes,
-- whatever closes it (cancel, administrator, expiry, the call). A move holds the new place too
-- (slot_moving_to, since slot_moving_since) until the record's workflow has taken the new time.
alter table callbacks
  add column schedule_id text references schedules (id),
  add column slot_start timestamptz,
  add column slot_end timestamptz,
  add column slot_moving_to timestamptz,
  add column slot_moving_since timestamptz;

create index callbacks_schedule_slot on callbacks (schedule_id, slot_start) where schedule_id is not null and status <> 'Closed';
create index callbacks_schedule_moving on callbacks (schedule_id, slot_moving_to) where slot_moving_to is not null;
create index callbacks_queue_open on callbacks (queue, due_at, id) where status <> 'Closed';
