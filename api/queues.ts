// /v1/queues: what agents take from a queue.
import { Hono } from 'hono';
import { z } from 'zod';
import { offeredInQueue } from '../db/records.js';
import { agentId, queueName } from './callbacks.js';
import type { ApiDeps } from './deps.js';
import { ProblemError } from './problem.js';
import { acceptRecord } from './record-messages.js';
import { validate } from './validate.js';

/** Candidates tried per request: enough to get past records other agents win meanwhile. */
const CANDIDATES = 20;

export function queuesRouter(deps: ApiDeps) {
  return new Hono().post(
    '/:queue/next',
    validate('param', z.object({ queue: queueName })),
    validate('json', z.strictObject({ agentId })),
    async (c) => {
      const { queue } = c.req.valid('param');
      const { agentId: agent } = c.req.valid('json');
      for (const id of await offeredInQueue(deps.sql, queue, CANDIDATES)) {
        try {
          return c.json(await acceptRecord(deps, id, agent));
        } catch (err) {
          // Another agent won this one, or it left the queue since the read: try the next.
          if (err instanceof ProblemError && err.problem.status === 409) continue;
          throw err;
        }
      }
      return c.body(null, 204);
    },
  );
}
