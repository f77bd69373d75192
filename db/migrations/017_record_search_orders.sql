-- The record search's orders besides newest first (callbacks_created): by due time and by
-- priority, each ending with the id as the keyset cursor does. Without them a sorted page of an
-- unfiltered search sorts the whole table (EXPLAIN: Seq Scan and Sort over every record).
create index callbacks_due on callbacks (due_at, id);
create index callbacks_priority on callbacks (priority, created_at, id);
