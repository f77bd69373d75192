-- A queue's holiday calendar: dates it is closed (no periods), or open other hours than its
-- weekday's (periods, like opening_hours). Dates are local to the queue's time zone.
create table queue_holidays (
  queue text not null references queues (name) on delete cascade,
  date date not null,
  closed boolean not null,
  periods jsonb not null default '[]',
  name text,
  updated_at timestamptz not null default now(),
  primary key (queue, date),
  check (closed = (jsonb_array_length(periods) = 0))
);
