-- Statistics per queue and day: daily rollups, kept up to date by triggers in the transaction
-- that writes the history, so that every writer (the API's insert, the workflow's saves, a
-- booking) counts without a code path of its own, and a retried save that inserts no event counts
-- nothing twice. Reports read the rollups, never the history: a 90-day report stays fast however
-- long the history grows, and a deleted record's calls stay counted (its events go with it, the
-- rollups keep no record id). Days are local dates in the record's queue's time zone when the
-- event happened; a queue whose zone changes keeps its earlier days as they were counted.

create table stats_daily (
  queue text not null,
  day date not null,
  -- requested:<channel>, closed:<reason>, completed-attempts (attempts of the completed records),
  -- connected, offer-refused, offer-timeout, appointment-booked, appointment-kept, appointment-missed.
  measure text not null,
  -- A day's counter is split over a few rows, one per database connection's shard, so that saves
  -- of the same queue on different connections do not wait on one row's lock; readers add them up.
  shard smallint not null default 0,
  value bigint not null,
  primary key (queue, day, measure, shard)
-- Room on each page, so that the many updates of a day's counters stay on their page (HOT).
) with (fillfactor = 70);
-- A report of every queue reads a range of days.
create index stats_daily_day on stats_daily (day, queue);

-- Each connected call's time from request (or the customer's requested time) to connection: the
-- percentiles need the values themselves, not a sum.
create table stats_connects (
  queue text not null,
  day date not null,
  seconds double precision not null check (seconds >= 0)
);
create index stats_connects_queue_day on stats_connects (queue, day) include (seconds);
create index stats_connects_day on stats_connects (day);

create function stats_local_day(p_queue text, p_at timestamptz) returns date
language sql stable as $$
  select (p_at at time zone coalesce((select time_zone from queues where name = p_queue), 'UTC'))::date
$$;

-- The shard of this connection's writes: one connection's transactions take turns anyway.
create function stats_shard() returns smallint
language sql volatile as $$ select (pg_backend_pid() % 8)::smallint $$;

create function stats_add(p_queue text, p_day date, p_measure text, p_value bigint) returns void
language sql as $$
  insert into stats_daily (queue, day, measure, shard, value) values (p_queue, p_day, p_measure, stats_shard(), p_value)
  on conflict (queue, day, measure, shard) do update set value = stats_daily.value + excluded.value
$$;

-- One history event's share of the statistics, as rows: a measure of stats_daily, or
-- `connect-seconds` (a row of stats_connects). The record's row is already written when its
-- events are (saveRecord and insertRecord write the row first), so it gives the queue, the
-- channel, the attempts at closing and whether it is an appointment.
create function stats_of_event(e callback_events) returns table (queue text, day date, measure text, value double precision)
language plpgsql stable as $$
#variable_conflict use_column
declare
  r record;
  since timestamptz;
  connected_before boolean;
begin
  select c.queue, c.channel, c.created_at, c.requested_at, c.attempts, c.schedule_id into r from callbacks c where c.id = e.record_id;
  if not found then
    return;
  end if;
  queue := r.queue;
  day := stats_local_day(r.queue, e.at);
  value := 1;
  if e.type in ('dialled', 'closed') and r.schedule_id is not null then
    select exists (select 1 from callback_events h where h.record_id = e.record_id and h.seq < e.seq
      and h.type = 'dialled' and h.detail ->> 'outcome' = 'answered') into connected_before;
  end if;
  if e.type = 'requested' then
    measure := 'requested:' || r.channel;
    return next;
  elsif e.type = 'refused' then
    measure := 'offer-refused';
    return next;
  elsif e.type = 'offer-timeout' then
    measure := 'offer-timeout';
    return next;
  elsif e.type = 'dialled' and e.detail ->> 'outcome' = 'answered' then
    measure := 'connected';
    return next;
    if r.schedule_id is not null and not connected_before then
      measure := 'appointment-kept';
      return next;
    end if;
    -- From the request, or the time the customer asked for: at first the requested time, after a
    -- "re-establish later" the new time they gave (the last rescheduled event's dueAt).
    since := greatest(
      r.created_at,
      r.requested_at,
      (select (h.detail ->> 'dueAt')::timestamptz from callback_events h
        where h.record_id = e.record_id and h.seq < e.seq and h.type = 'rescheduled' order by h.seq desc limit 1));
    measure := 'connect-seconds';
    value := greatest(0, extract(epoch from e.at - since));
    return next;
  elsif e.type = 'closed' then
    measure := 'closed:' || coalesce(e.detail ->> 'reason', 'unknown');
    return next;
    if e.detail ->> 'reason' = 'completed' then
      measure := 'completed-attempts';
      value := r.attempts;
      return next;
    end if;
    if r.schedule_id is not null and not connected_before then
      measure := 'appointment-missed';
      value := 1;
      return next;
    end if;
  end if;
end
$$;

create function stats_on_event() returns trigger
language plpgsql as $$
begin
  with counted as (
    select * from stats_of_event(new)
  ), daily as (
    insert into stats_daily (queue, day, measure, shard, value)
    select c.queue, c.day, c.measure, stats_shard(), c.value::bigint from counted c where c.measure <> 'connect-seconds'
    on conflict (queue, day, measure, shard) do update set value = stats_daily.value + excluded.value
  )
  insert into stats_connects (queue, day, seconds) select c.queue, c.day, c.value from counted c where c.measure = 'connect-seconds';
  return null;
end
$$;

-- Only the types that count reach the function; an insert that conflicts (a retried save) fires nothing.
create trigger callback_events_stats after insert on callback_events for each row
  when (new.type in ('requested', 'refused', 'offer-timeout', 'dialled', 'closed'))
  execute function stats_on_event();

-- A booking is attached to its record in the admission's transaction, after the record's insert.
create function stats_on_booking() returns trigger
language plpgsql as $$
begin
  perform stats_add(new.queue, stats_local_day(new.queue, new.created_at), 'appointment-booked', 1);
  return null;
end
$$;

create trigger callbacks_stats_booked after insert on callbacks for each row
  when (new.schedule_id is not null)
  execute function stats_on_booking();
create trigger callbacks_stats_booking after update of schedule_id on callbacks for each row
  when (old.schedule_id is null and new.schedule_id is not null)
  execute function stats_on_booking();

-- The history so far, counted once by the same rules, and added up before it is written: one
-- row per queue, day and measure (an upsert per event would leave the table many times its size).
create temporary table stats_backfill on commit drop as
  select s.* from callback_events e cross join lateral stats_of_event(e) s
  where e.type in ('requested', 'refused', 'offer-timeout', 'dialled', 'closed');
insert into stats_daily (queue, day, measure, value)
select queue, day, measure, sum(value)::bigint from stats_backfill where measure <> 'connect-seconds' group by 1, 2, 3;
insert into stats_connects (queue, day, seconds) select queue, day, value from stats_backfill where measure = 'connect-seconds';
insert into stats_daily (queue, day, measure, value)
select queue, stats_local_day(queue, created_at), 'appointment-booked', count(*) from callbacks where schedule_id is not null
group by 1, 2
on conflict (queue, day, measure, shard) do update set value = stats_daily.value + excluded.value;
