-- A record on its way into another queue holds a place there: its row changes only when its
-- workflow saves the move, so admission counts these places too. A reservation whose API process
-- died before giving it up stops counting at expires_at.
create table move_reservations (
  id uuid primary key,
  record_id text not null,
  queue text not null,
  org_area text not null,
  expires_at timestamptz not null
);

create index move_reservations_queue on move_reservations (queue, expires_at);
create index move_reservations_org_area on move_reservations (org_area, expires_at);

-- A Closing record is still in its call and takes its place under the limits like an active one.
drop index callbacks_active_queue;
create index callbacks_holding_queue on callbacks (queue) where status in ('Open', 'Paused', 'Active', 'Closing');
create index callbacks_holding_area on callbacks (org_area) where status in ('Open', 'Paused', 'Active', 'Closing');
