-- Imports from CSV (POST /v1/imports, the console's Import screen): one row per file imported and
-- one per row of it with its result. The import's id is derived from its kind and the file's
-- bytes, so that the same file sent again (after a crash, or by mistake) is the same import: it
-- carries on where it stopped, and a row admitted once is never admitted again.
create table imports (
  id text primary key,
  kind text not null check (kind in ('records', 'org-areas', 'queues')),
  file_sha256 text not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  -- Each time the file is sent again the rows not done yet are tried again.
  runs int not null default 1,
  last_run_at timestamptz not null default now(),
  last_run_by text not null,
  row_count int not null,
  -- The columns the file had, and those it had that an import ignores (an export's status ...).
  columns jsonb not null,
  ignored_columns jsonb not null default '[]'
);
create index imports_newest on imports (created_at desc, id);

create table import_rows (
  import_id text not null references imports (id) on delete cascade,
  -- The CSV record's number in the file: the header is 1.
  row int not null,
  result text not null check (result in ('created', 'duplicate', 'exists', 'refused', 'invalid', 'skipped')),
  record_id text,
  -- The queue or organisation area the row names.
  name text,
  problem text,
  message text,
  errors jsonb not null default '[]',
  primary key (import_id, row)
);
