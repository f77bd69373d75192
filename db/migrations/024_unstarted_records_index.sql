-- The workers' sweep for records whose workflow a crash left unstarted looks only at rows still at
-- version 1 (written by the API, never by their workflow): a few at most, among millions closed.
create index callbacks_unstarted on callbacks (created_at) where version = 1;
