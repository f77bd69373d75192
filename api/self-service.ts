// /v1/self-service: the customer's own callback, reached from the web page with the token that
// came with it (header Callback-Token): see it, cancel it, or move it to another time.
import { Hono } from 'hono';
import { z } from 'zod';
import { findRecord } from '../db/records.js';
import type { CallbackRecord } from '../domain/record.js';
import { route } from './access.js';
import type { ApiDeps } from './deps.js';
import { publicRecord } from './responses.js';
import { problem } from './problem.js';
import { administerRecord } from './record-messages.js';
import { checkRequestTimes } from './request-checks.js';
import { instant, validate } from './validate.js';

/** What the customer may know of their callback: nothing of the centre's work on it. */
export function publicView(r: CallbackRecord) {
  return {
    id: r.id,
    status: r.status,
    queue: r.queue,
    requestedAt: r.requestedAt,
    dueAt: r.dueAt,
    validUntil: r.validUntil,
    createdAt: r.createdAt,
    closeReason: r.closeReason,
  };
}

const TOKEN = [{ name: 'Callback-Token', description: 'The selfServiceToken given when the callback was requested', required: true }];
const SELF = ['web', 'ivr'] as const;

const routes = {
  read: route({
    summary: 'The customer reads their callback',
    roles: SELF,
    responses: { 200: { description: 'The public view of the callback', schema: publicRecord } },
    problems: ['invalid-callback-token', 'not-found'],
    headers: TOKEN,
  }),
  cancel: route({
    summary: 'The customer cancels their callback',
    description: 'It closes as cancelled. A callback being dialled or in a call cannot be cancelled (the customer is on it).',
    roles: SELF,
    responses: { 200: { description: 'The callback, closed as cancelled', schema: publicRecord } },
    problems: ['invalid-callback-token', 'not-found', 'record-closed', 'record-in-call', 'not-supported-for-this-record'],
    headers: TOKEN,
  }),
  move: route({
    summary: 'The customer moves their callback to another time',
    description: 'The new time must lie ahead and within the callback\'s validity.',
    roles: SELF,
    responses: { 200: { description: 'The callback at its new time', schema: publicRecord } },
    problems: ['invalid-callback-token', 'not-found', 'record-closed', 'record-in-call', 'invalid-time', 'not-supported-for-this-record'],
    headers: TOKEN,
  }),
};

const moveBody = z.strictObject({ requestedAt: instant.describe('The new time to call') });

export function selfServiceRouter(deps: ApiDeps) {
  const { sql, tokens } = deps;

  async function ownRecord(token: string | undefined): Promise<CallbackRecord> {
    const record = await findRecord(sql, await tokens.verify(token));
    // Deleted for good since the token was given.
    if (!record) throw problem(404, 'not-found', 'this callback no longer exists');
    return record;
  }
  const actor = (c: { get(key: 'caller'): { name: string } }) => `${c.get('caller').name}`;

  return new Hono()
    .get('/callback', routes.read, async (c) => c.json(publicView(await ownRecord(c.req.header('callback-token')))))

    .post('/callback/cancel', routes.cancel, async (c) => {
      const record = await ownRecord(c.req.header('callback-token'));
      return c.json(publicView(await administerRecord(deps, record.id, { action: 'cancel', actor: actor(c) })));
    })

    .post('/callback/move', routes.move, validate('json', moveBody), async (c) => {
      const record = await ownRecord(c.req.header('callback-token'));
      const requestedAt = new Date(c.req.valid('json').requestedAt).toISOString();
      checkRequestTimes({ requestedAt });
      const changed = await administerRecord(deps, record.id, { action: 'change', actor: `customer:${actor(c)}`, changes: { requestedAt } });
      return c.json(publicView(changed));
    });
}
