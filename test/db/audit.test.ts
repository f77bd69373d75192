// The audit log forgets entries past their retention, and only those.
import { afterAll, expect, it } from 'vitest';
import { forgetAuditBefore, listAudit } from '../../db/audit.js';
import { testSql, uniqueName } from '../support/stack.js';

const sql = testSql();
afterAll(() => sql.end());

class RollBack extends Error {}

it('forgets the entries written before the cut-off and keeps the later ones', async () => {
  const actor = uniqueName('retention');
  await sql`
    insert into audit_log (at, actor, action, detail, result) values
      (now() - interval '10 days', ${actor}, 'search', '{"age":"10 days"}', 'ok'),
      (now() - interval '8 days', ${actor}, 'pause', '{"age":"8 days"}', 'ok'),
      (now() - interval '6 days', ${actor}, 'search', '{"age":"6 days"}', 'ok'),
      (now(), ${actor}, 'search', '{"age":"new"}', 'ok')`;
  const left = async (tx: Parameters<typeof listAudit>[0]) => (await listAudit(tx, { actor, limit: 10 })).map((e) => e.detail.age);

  // In a transaction rolled back afterwards: other tests' old entries stay as they were.
  await sql
    .begin(async (tx) => {
      const forgotten = await forgetAuditBefore(tx, new Date(Date.now() - 7 * 86_400_000));
      expect(forgotten).toBeGreaterThanOrEqual(2);
      expect(await left(tx)).toEqual(['new', '6 days']);
      throw new RollBack();
    })
    .catch((err) => {
      if (!(err instanceof RollBack)) throw err;
    });
  expect(await left(sql)).toEqual(['new', '6 days', '8 days', '10 days']);
  await sql`delete from audit_log where actor = ${actor}`;
});
