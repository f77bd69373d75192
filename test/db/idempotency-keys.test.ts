// Idempotency keys are remembered for their lifetime and then forgotten.
import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { forgetExpiredIdempotencyKeys } from '../../db/admission.js';
import { testSql } from '../support/stack.js';

const sql = testSql();
afterAll(() => sql.end());

it('forgets the keys past their lifetime and keeps the others', async () => {
  const [old, fresh] = [randomUUID(), randomUUID()];
  await sql`
    insert into idempotency_keys (key, request_hash, status, body, created_at) values
      (${old}, 'h', 201, '{}', now() - interval '25 hours'),
      (${fresh}, 'h', 201, '{}', now() - interval '23 hours')`;
  expect(await forgetExpiredIdempotencyKeys(sql)).toBeGreaterThanOrEqual(1);
  const left = await sql<{ key: string }[]>`select key from idempotency_keys where key in ${sql([old, fresh])}`;
  expect(left.map((r) => r.key)).toEqual([fresh]);
});
