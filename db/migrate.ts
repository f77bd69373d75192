// Applies db/migrations/*.sql in name order, each once, all in one transaction. An
// advisory lock lets several processes start at once without racing each other.
import { readdir, readFile } from 'node:fs/promises';
import type { Sql } from './connect.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const LOCK_KEY = 4_711_001;

async function migrationFiles(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
}

/** The migrations this code has that the database has not applied (for readiness: an empty list is current). */
export async function pendingMigrations(sql: Sql): Promise<string[]> {
  const files = await migrationFiles();
  const [table] = await sql<{ exists: boolean }[]>`select to_regclass('schema_migrations') is not null as exists`;
  if (!table?.exists) return files;
  const done = new Set((await sql<{ name: string }[]>`select name from schema_migrations`).map((r) => r.name));
  return files.filter((f) => !done.has(f));
}

/** The readiness checks of a process that needs the database: it answers, and every migration is applied. */
export function databaseChecks(sql: Sql): Record<'postgres' | 'migrations', () => Promise<void>> {
  return {
    postgres: async () => {
      await sql`select 1`;
    },
    migrations: async () => {
      const pending = await pendingMigrations(sql);
      if (pending.length > 0) throw new Error(`not applied: ${pending.join(', ')}`);
    },
  };
}

export async function migrate(sql: Sql): Promise<string[]> {
  const files = await migrationFiles();
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
    await tx`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`;
    const done = new Set((await tx<{ name: string }[]>`select name from schema_migrations`).map((r) => r.name));
    const applied: string[] = [];
    for (const name of files) {
      if (done.has(name)) continue;
      await tx.unsafe(await readFile(new URL(name, MIGRATIONS_DIR), 'utf8'));
      await tx`insert into schema_migrations (name) values (${name})`;
      applied.push(name);
    }
    return applied;
  });
}
