// Treatment sets through the real stack: the defaults, an area's standard set and a queue's
// exception, what applies where, what is refused, and the audit entry every change leaves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treatmentFor } from '../../db/treatments.js';
import { TREATABLE_OUTCOMES } from '../../domain/record.js';
import { DEFAULT_TREATMENT, type Treatment } from '../../domain/treatment.js';
import { newQueue, startStack, uniqueName, type Reply, type Stack } from '../support/stack.js';

let stack: Stack;
/** The admin key's name: the actor, before the person X-Actor names. */
let adminKey: string;
beforeAll(async () => {
  // Treatments are configuration: no record runs here, so no worker is needed.
  stack = await startStack({ withoutWorker: true });
  adminKey = stack.actor.split('/')[0]!;
});
afterAll(async () => {
  await stack?.stop();
});

const withChanges = (changes: Partial<Treatment> = {}): Treatment => ({ ...DEFAULT_TREATMENT, ...changes });
const AREA_SET = withChanges({ closeAfter: { 'answering-machine': 2 }, maxAttempts: 5 });
const QUEUE_SET = withChanges({
  onOutcome: { ...DEFAULT_TREATMENT.onOutcome, busy: { action: 'close' } },
  closeAfter: { 'reestablish-later': 3 },
  maxAttempts: null,
});

/** A fresh queue in a fresh area. */
async function queueAndArea(): Promise<{ queue: string; area: string }> {
  const queue = await newQueue(stack.api);
  return { queue, area: (await stack.api.get(`/v1/queues/${queue}`)).body.orgArea };
}

async function auditOf(name: string) {
  return stack.sql<{ actor: string; action: string; detail: any; result: string }[]>`
    select actor, action, detail, result from audit_log
    where action like 'treatment-%' and detail->>'name' = ${name} order by id`;
}

async function storedFor(name: string): Promise<number> {
  const [row] = await stack.sql<{ n: number }[]>`select count(*)::int as n from treatments where name = ${name}`;
  return row!.n;
}

function expectProblem(reply: Reply, status: number, type: string) {
  expect(reply.status).toBe(status);
  expect(reply.type).toBe('application/problem+json');
  expect(reply.body).toMatchObject({ status, type });
}

describe('the defaults', () => {
  it('shows the product defaults and the outcomes no set can change', async () => {
    const reply = await stack.api.get('/v1/treatments/defaults');
    expect(reply.status).toBe(200);
    expect(reply.body.treatment).toEqual(DEFAULT_TREATMENT);
    expect(Object.keys(reply.body.fixedOutcomes).sort()).toEqual([
      'agent-not-reached',
      'answered',
      'completed',
      'expired',
      'reestablish-later',
    ]);
  });
});

describe("an organisation area's standard set", () => {
  it('is the defaults until one is stored, then replaces them until it is reset', async () => {
    const { area } = await queueAndArea();
    const path = `/v1/treatments/org-areas/${area}`;
    expect((await stack.api.get(path)).body).toEqual({ treatment: DEFAULT_TREATMENT, source: 'default', updatedBy: null, updatedAt: null });

    const put = await stack.api.put(path, AREA_SET);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ treatment: AREA_SET, source: 'org-area', updatedBy: stack.actor });
    expect(Date.parse(put.body.updatedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await stack.api.get(path)).body).toEqual(put.body);

    const listed = await stack.api.get('/v1/treatments');
    const { source: _, ...row } = put.body;
    expect(listed.body.items).toContainEqual({ scope: 'org-area', name: area, ...row });

    expect((await stack.api.delete(path)).status).toBe(204);
    expect((await stack.api.get(path)).body.source).toBe('default');
    expect((await stack.api.delete(path)).status).toBe(204);
    expect(await storedFor(area)).toBe(0);
  });

  it('is replaced whole by the next PUT, closeAfter defaulting to none', async () => {
    const { area } = await queueAndArea();
    const path = `/v1/treatments/org-areas/${area}`;
    await stack.api.put(path, AREA_SET);
    const { closeAfter: _, ...withoutThresholds } = QUEUE_SET;
    const put = await stack.api.put(path, withoutThresholds, { 'x-actor': 'anna@example' });
    expect(put.body).toMatchObject({ treatment: { ...QUEUE_SET, closeAfter: {} }, updatedBy: `${adminKey}/anna@example` });
    expect((await stack.api.get(path)).body.treatment).toEqual({ ...QUEUE_SET, closeAfter: {} });
  });

  it('writes an audit entry for every change and reset, with who and what', async () => {
    const { area } = await queueAndArea();
    const path = `/v1/treatments/org-areas/${area}`;
    await stack.api.put(path, AREA_SET);
    await stack.api.delete(path, { 'x-actor': 'bert' });
    await stack.api.delete(path);
    expect(await auditOf(area)).toEqual([
      { actor: stack.actor, action: 'treatment-change', detail: { scope: 'org-area', name: area, treatment: AREA_SET }, result: 'ok' },
      // A reset keeps the set it removed, or null when none was stored.
      {
        actor: `${adminKey}/bert`,
        action: 'treatment-reset',
        detail: { scope: 'org-area', name: area, treatment: AREA_SET },
        result: 'ok',
      },
      { actor: stack.actor, action: 'treatment-reset', detail: { scope: 'org-area', name: area, treatment: null }, result: 'ok' },
    ]);
  });
});

describe("a queue's exception", () => {
  it('comes before its area’s set, which comes before the defaults', async () => {
    const { queue, area } = await queueAndArea();
    const path = `/v1/treatments/queues/${queue}`;
    expect((await stack.api.get(path)).body).toMatchObject({ treatment: DEFAULT_TREATMENT, source: 'default' });

    await stack.api.put(`/v1/treatments/org-areas/${area}`, AREA_SET);
    expect((await stack.api.get(path)).body).toMatchObject({ treatment: AREA_SET, source: 'org-area', updatedBy: stack.actor });

    const put = await stack.api.put(path, QUEUE_SET, { 'x-actor': 'carla' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ treatment: QUEUE_SET, source: 'queue', updatedBy: `${adminKey}/carla` });
    expect((await stack.api.get(path)).body).toEqual(put.body);
    // The area's own view does not change with a queue's exception.
    expect((await stack.api.get(`/v1/treatments/org-areas/${area}`)).body).toMatchObject({ treatment: AREA_SET, source: 'org-area' });

    expect((await stack.api.delete(path)).status).toBe(204);
    expect((await stack.api.get(path)).body).toMatchObject({ treatment: AREA_SET, source: 'org-area' });
    await stack.api.delete(`/v1/treatments/org-areas/${area}`);
    expect((await stack.api.get(path)).body).toMatchObject({ treatment: DEFAULT_TREATMENT, source: 'default' });

    expect(await auditOf(queue)).toEqual([
      {
        actor: `${adminKey}/carla`,
        action: 'treatment-change',
        detail: { scope: 'queue', name: queue, treatment: QUEUE_SET },
        result: 'ok',
      },
      { actor: stack.actor, action: 'treatment-reset', detail: { scope: 'queue', name: queue, treatment: QUEUE_SET }, result: 'ok' },
    ]);
  });

  it('applies to its queue only', async () => {
    const { queue, area } = await queueAndArea();
    const sibling = uniqueName('q');
    await stack.api.post('/v1/queues', { name: sibling, orgArea: area, timeZone: 'UTC', openingHours: {} });
    await stack.api.put(`/v1/treatments/org-areas/${area}`, AREA_SET);
    await stack.api.put(`/v1/treatments/queues/${queue}`, QUEUE_SET);
    expect((await stack.api.get(`/v1/treatments/queues/${sibling}`)).body).toMatchObject({ treatment: AREA_SET, source: 'org-area' });
  });
});

describe('treatmentFor', () => {
  it('reads the queue’s set, else its area’s, else the defaults', async () => {
    const { queue, area } = await queueAndArea();
    const other = await newQueue(stack.api);
    expect(await treatmentFor(stack.sql, queue)).toEqual(DEFAULT_TREATMENT);

    await stack.api.put(`/v1/treatments/org-areas/${area}`, AREA_SET);
    expect(await treatmentFor(stack.sql, queue)).toEqual(AREA_SET);

    await stack.api.put(`/v1/treatments/queues/${queue}`, QUEUE_SET);
    expect(await treatmentFor(stack.sql, queue)).toEqual(QUEUE_SET);
    expect(await treatmentFor(stack.sql, other)).toEqual(DEFAULT_TREATMENT);

    await stack.api.delete(`/v1/treatments/queues/${queue}`);
    expect(await treatmentFor(stack.sql, queue)).toEqual(AREA_SET);
    expect(await treatmentFor(stack.sql, uniqueName('no-such-queue'))).toEqual(DEFAULT_TREATMENT);
  });

  it('gives a set stored by an older release, without a newer outcome, the default rule for it', async () => {
    const { queue } = await queueAndArea();
    const { 'lost-during-routing': _, ...older } = QUEUE_SET.onOutcome;
    await stack.sql`
      insert into treatments (scope, name, treatment, updated_by)
      values ('queue', ${queue}, ${stack.sql.json({ ...QUEUE_SET, onOutcome: older })}, 'an older release')`;
    expect(await treatmentFor(stack.sql, queue)).toEqual({
      ...QUEUE_SET,
      onOutcome: { ...older, 'lost-during-routing': DEFAULT_TREATMENT.onOutcome['lost-during-routing'] },
    });
  });
});

describe('a PUT refuses', () => {
  const { 'lost-during-routing': _, ...missingOne } = DEFAULT_TREATMENT.onOutcome;
  const rule = (outcome: string, r: unknown) => ({ onOutcome: { ...DEFAULT_TREATMENT.onOutcome, [outcome]: r } });
  const cases: [string, Record<string, unknown>, string][] = [
    ['an outcome without a rule', { onOutcome: missingOne }, 'onOutcome.lost-during-routing'],
    ['an outcome whose treatment is fixed', { onOutcome: { ...DEFAULT_TREATMENT.onOutcome, completed: { action: 'close' } } }, 'onOutcome'],
    ['an unknown outcome', { onOutcome: { ...DEFAULT_TREATMENT.onOutcome, voicemail: { action: 'close' } } }, 'onOutcome'],
    ['an unknown action', rule('busy', { action: 'retry' }), 'onOutcome.busy.action'],
    ['a postpone without its delay', rule('busy', { action: 'postpone' }), 'onOutcome.busy.delayMinutes'],
    ['a negative delay', rule('busy', { action: 'postpone', delayMinutes: -1 }), 'onOutcome.busy.delayMinutes'],
    ['a delay over a week', rule('busy', { action: 'postpone', delayMinutes: 10_081 }), 'onOutcome.busy.delayMinutes'],
    ['a fractional delay', rule('busy', { action: 'postpone', delayMinutes: 1.5 }), 'onOutcome.busy.delayMinutes'],
    ['a delay on a close', rule('busy', { action: 'close', delayMinutes: 5 }), 'onOutcome.busy'],
    ['a threshold on an outcome that closes at once', { closeAfter: { 'invalid-number': 2 } }, 'closeAfter.invalid-number'],
    ['a threshold of 0', { closeAfter: { busy: 0 } }, 'closeAfter.busy'],
    ['a threshold over 100', { closeAfter: { busy: 101 } }, 'closeAfter.busy'],
    ['a threshold on an outcome no set treats', { closeAfter: { answered: 2 } }, 'closeAfter'],
    ['no maxAttempts', { maxAttempts: undefined }, 'maxAttempts'],
    ['a maxAttempts of 0', { maxAttempts: 0 }, 'maxAttempts'],
    ['a maxAttempts over 100', { maxAttempts: 101 }, 'maxAttempts'],
    ['a maxAttempts that is no number', { maxAttempts: 'three' }, 'maxAttempts'],
    ['an unknown field', { retries: 3 }, ''],
  ];

  it.each(cases)('%s, naming it, and stores nothing', async (_, change, path) => {
    const { queue, area } = await queueAndArea();
    for (const target of [`/v1/treatments/org-areas/${area}`, `/v1/treatments/queues/${queue}`]) {
      const reply = await stack.api.put(target, { ...DEFAULT_TREATMENT, ...change });
      expectProblem(reply, 400, 'validation-error');
      expect(reply.body.errors.map((e: any) => e.path)).toContain(path);
    }
    expect((await stack.api.get(`/v1/treatments/queues/${queue}`)).body.source).toBe('default');
    expect(await storedFor(area)).toBe(0);
    expect(await storedFor(queue)).toBe(0);
    expect(await auditOf(area)).toEqual([]);
    expect(await auditOf(queue)).toEqual([]);
  });

  it('a set for every outcome closing at once is accepted: no threshold, no limit', async () => {
    const { area } = await queueAndArea();
    const closeAll = Object.fromEntries(TREATABLE_OUTCOMES.map((o) => [o, { action: 'close' }]));
    const reply = await stack.api.put(`/v1/treatments/org-areas/${area}`, { onOutcome: closeAll, maxAttempts: null });
    expect(reply.status).toBe(200);
    expect(reply.body.treatment).toEqual({ onOutcome: closeAll, closeAfter: {}, maxAttempts: null });
  });
});

describe('unknown areas and queues', () => {
  it.each([
    ['org-areas', 'no organisation area'],
    ['queues', 'no queue'],
  ])('answer 404 for /v1/treatments/%s/<unknown>, and store nothing', async (kind, title) => {
    const name = uniqueName('nope');
    const path = `/v1/treatments/${kind}/${name}`;
    for (const reply of [await stack.api.get(path), await stack.api.put(path, DEFAULT_TREATMENT), await stack.api.delete(path)]) {
      expectProblem(reply, 404, 'not-found');
      expect(reply.body.title).toContain(title);
    }
    expect(await storedFor(name)).toBe(0);
    expect(await auditOf(name)).toEqual([]);
  });

  it('refuse a name that cannot be one', async () => {
    expectProblem(await stack.api.get('/v1/treatments/org-areas/-bad'), 400, 'validation-error');
    expectProblem(await stack.api.put('/v1/treatments/queues/a%20queue', DEFAULT_TREATMENT), 400, 'validation-error');
  });
});

describe('who acts', () => {
  it('must be named validly to change or reset a set', async () => {
    const { queue, area } = await queueAndArea();
    for (const path of [`/v1/treatments/org-areas/${area}`, `/v1/treatments/queues/${queue}`]) {
      expectProblem(await stack.api.put(path, AREA_SET, { 'x-actor': 'not a name' }), 400, 'validation-error');
      expect((await stack.api.get(path, { 'x-actor': '' })).status).toBe(200);
    }
    expect(await storedFor(area)).toBe(0);
    expect(await storedFor(queue)).toBe(0);
    expect(await auditOf(area)).toEqual([]);
    expect(await auditOf(queue)).toEqual([]);
  });
});
