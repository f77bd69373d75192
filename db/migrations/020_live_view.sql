-- The live view's expected wait reads every queue's acceptances of the last hour each time it is
-- computed: without this it read every event ever written.
create index callback_events_accepted_at on callback_events (at) where type = 'accepted';
