// The last admin key cannot be revoked. Alone among the tests: it revokes every other admin key
// for a moment, which would lock out tests running beside it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
});
afterAll(async () => {
  await stack?.stop();
});

it('never leaves the system without an admin key', async () => {
  const admins = await stack.sql<{ id: string }[]>`select id from api_keys where role = 'admin' and revoked_at is null`;
  // Other tests' stacks share the database: revoke all but this stack's own admin key, then try that one.
  const [, own] = /^cbk_([0-9a-f]{16})_/.exec(stack.keys.admin)!;
  await stack.sql`update api_keys set revoked_at = now() where role = 'admin' and revoked_at is null and id <> ${own!}`;
  try {
    const last = await stack.api.delete(`/v1/api-keys/${own}`);
    expect(last.status).toBe(409);
    expect(last.body.type).toBe('last-admin-key');
  } finally {
    await stack.sql`update api_keys set revoked_at = null where id in ${stack.sql(admins.map((a) => a.id))}`;
  }
});
