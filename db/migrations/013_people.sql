-- People: the agent directory, the accounts people sign in with, their sessions, and the
-- OpenID Connect logins under way.

-- The agent directory: who takes calls, in which queues, speaking which languages, reached where.
create table agents (
  id text primary key,
  display_name text not null,
  languages text[] not null default '{}',
  -- A phone number (E.164) or a device address (sip:..., a softphone's id) for the dialler.
  address text,
  -- For single sign-on: the identity provider's email claim finds the agent's entry.
  email text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index agents_email on agents (lower(email)) where email is not null;

-- The queues an agent serves, each with an optional routing priority (1 first).
create table agent_queues (
  agent_id text not null references agents (id) on delete cascade,
  queue text not null references queues (name),
  priority int check (priority between 1 and 99),
  primary key (agent_id, queue)
);
create index agent_queues_by_queue on agent_queues (queue, agent_id);

-- People with accounts. An agent's account has the agent's id; an administrator's stands alone.
-- password_hash is null for people who sign in only through single sign-on. After
-- LOGIN_LOCK_AFTER failures in a row the account is locked for a while that doubles with each
-- further lockout (`lockouts`), up to a limit; a successful sign-in clears both counts.
create table people (
  id text primary key,
  display_name text not null,
  role text not null check (role in ('agent', 'admin')),
  email text,
  -- `<issuer> <sub>` of the person's single sign-on identity, once they used it.
  oidc_subject text unique,
  password_hash text,
  password_changed_at timestamptz,
  failed_attempts int not null default 0,
  lockouts int not null default 0,
  locked_until timestamptz,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null
);
create unique index people_email on people (lower(email)) where email is not null;

-- Signed-in sessions: only the SHA-256 of the cookie's secret is kept. A session ends when idle
-- longer than SESSION_IDLE_SECONDS, at `expires_at` (SESSION_MAX_SECONDS after sign-in), at
-- sign-out, or when an administrator resets the person's password or deactivates them.
create table sessions (
  id_sha256 text primary key,
  person_id text not null references people (id) on delete cascade,
  -- Sent back in X-CSRF-Token with every state-changing request the session makes.
  csrf_token text not null,
  method text not null check (method in ('password', 'oidc')),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_of_person on sessions (person_id);
create index sessions_expiry on sessions (expires_at);

-- OpenID Connect logins between the redirect to the provider and its answer: state, nonce and
-- the PKCE verifier stay here, never in the browser. Each is used once and lives 10 minutes.
create table oidc_logins (
  state text primary key,
  nonce text not null,
  code_verifier text not null,
  return_to text,
  created_at timestamptz not null default now()
);

-- An agent's personal token for a desktop integration: an API key bound to the agent.
alter table api_keys add column agent_id text references agents (id);
