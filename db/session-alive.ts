// Whether a session still stands, without counting the question as the person's activity: an open
// event stream must end with its session (signed out, idle too long, too old, or the account
// changed, which deletes its sessions), not keep it alive.
import type { Sql } from './connect.js';

export async function sessionAlive(sql: Sql, idSha256: string, idleSeconds: number): Promise<boolean> {
  const [row] = await sql<{ alive: boolean }[]>`
    select exists (
      select 1 from sessions
      where id_sha256 = ${idSha256} and expires_at > now() and last_seen_at > now() - make_interval(secs => ${idleSeconds})
    ) as alive`;
  return row?.alive ?? false;
}
