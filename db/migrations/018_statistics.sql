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
  value bigint not null,
  primary key (queue, day, measure)
);
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

create function stats_add(p_queue text, p_day date, p_measure text, p_value bigint) returns void
language sql as $$
  insert into stats_daily (queue, day, measure, value) values (p_queue, p_day, p_measure, p_value)
  on conflict (queue, day, measure) do update set value = stats_daily.value + excluded.value
$$;

-- One history event's share of the statistics. The record's row is already written when its
-- events are (saveRecord and insertRecord write the row first), so it gives the queue, the
-- channel, the attempts at closing and whether it is an appointment.
create function stats_count_event(e callback_events) returns void
language plpgsql as $$
declare
  r record;
  d date;
  since timestamptz;
  connected_before boolean;
begin
  select queue, channel, created_at, requested_at, attempts, schedule_id into r from callbacks where id = e.record_id;
  if not found then
    return;
  end if;
  d := stats_local_day(r.queue, e.at);
  if e.type = 'requested' then
    perform stats_add(r.queue, d, 'requested:' || r.channel, 1);
  elsif e.type = 'refused' then
    perform stats_add(r.queue, d, 'offer-refused', 1);
  elsif e.type = 'offer-timeout' then
    perform stats_add(r.queue, d, 'offer-timeout', 1);
  elsif e.type = 'dialled' and e.detail ->> 'outcome' = 'answered' then
    perform stats_add(r.queue, d, 'connected', 1);
    -- From the request, or the time the customer asked for: at first the requested time, after a
    -- "re-establish later" the new time they gave (the last rescheduled event's dueAt).
    since := greatest(
      r.created_at,
      r.requested_at,
      (select (h.detail ->> 'dueAt')::timestamptz from callback_events h
        where h.record_id = e.record_id and h.seq < e.seq and h.type = 'rescheduled' order by h.seq desc limit 1));
    insert into stats_connects (queue, day, seconds) values (r.queue, d, greatest(0, extract(epoch from e.at - since)));
    if r.schedule_id is not null then
      select exists (select 1 from callback_events h where h.record_id = e.record_id and h.seq < e.seq
        and h.type = 'dialled' and h.detail ->> 'outcome' = 'answered') into connected_before;
      if not connected_before then
        perform stats_add(r.queue, d, 'appointment-kept', 1);
      end if;
    end if;
  elsif e.type = 'closed' then
    perform stats_add(r.queue, d, 'closed:' || coalesce(e.detail ->> 'reason', 'unknown'), 1);
    if e.detail ->> 'reason' = 'completed' then
      perform stats_add(r.queue, d, 'completed-attempts', r.attempts);
    end if;
    if r.schedule_id is not null then
      select exists (select 1 from callback_events h where h.record_id = e.record_id and h.seq < e.seq
        and h.type = 'dialled' and h.detail ->> 'outcome' = 'answered') into connected_before;
      if not connected_before then
        perform stats_add(r.queue, d, 'appointment-missed', 1);
      end if;
    end if;
  end if;
end
$$;

create function stats_on_event() returns trigger
language plpgsql as $$
begin
  perform stats_count_event(new);
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

-- The history so far, counted once by the same rules.
select stats_count_event(e) from callback_events e where e.type in ('requested', 'refused', 'offer-timeout', 'dialled', 'closed');
insert into stats_daily (queue, day, measure, value)
select queue, stats_local_day(queue, created_at), 'appointment-booked', count(*) from callbacks where schedule_id is not null
group by 1, 2
on conflict (queue, day, measure) do update set value = stats_daily.value + excluded.value;
