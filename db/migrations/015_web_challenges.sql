-- The customer page's proof-of-work challenges that have been used: each is good for one request.
-- A challenge is signed and carries its own expiry, so only used ones are kept, until they expire.
create table web_challenges_used (
  salt text primary key,
  expires_at timestamptz not null
);
create index web_challenges_used_expiry on web_challenges_used (expires_at);
