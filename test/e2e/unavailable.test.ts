// When part of the system is down: no worker running, Temporal out of reach, PostgreSQL out of
// reach, or the API shutting down while requests wait. Every request answers within the wait
// limit, with 503 temporarily-unavailable and Retry-After where it cannot be done now.
import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApi } from '../../api/server.js';
import { connect } from '../../db/connect.js';
import { startWorker } from '../../worker/run.js';
import { eventually, http, newQueue, recordWhen, startStack, testConfig, type Stack } from '../support/stack.js';

const WAIT_MS = 1500;
/** The answer comes within the wait limit, with room for a busy machine. */
const PROMPTLY_MS = WAIT_MS + 3000;
const env = { TEMPORAL_WAIT_MS: String(WAIT_MS), RETRY_AFTER_SECONDS: '7' };

let phoneSeq = Math.floor(Math.random() * 800_000);
const freshPhone = () => `+4670${String(1_000_000 + phoneSeq++).padStart(7, '0')}`;

async function timed<T>(work: Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await work;
  return [result, Date.now() - started];
}

function expectUnavailable(reply: { status: number; body: any; headers: Headers }) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(503);
  expect(reply.body.type).toBe('temporarily-unavailable');
  expect(reply.headers.get('retry-after')).toBe('7');
}

describe('with no worker running', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ withoutWorker: true, env });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers accept, next and administrative actions with 503 within the wait limit; a worker later takes what was asked', async () => {
    const queue = await newQueue(stack.api);
    const created = await stack.api.post('/v1/callbacks', { phone: freshPhone(), queue, channel: 'api' });
    expect(created.status).toBe(201);
    const id = created.body.id;

    const [accepted, acceptMs] = await timed(stack.api.post(`/v1/callbacks/${id}/accept`, { agentId: 'anna' }));
    expectUnavailable(accepted);
    expect(acceptMs).toBeLessThan(PROMPTLY_MS);
    const [paused, pauseMs] = await timed(stack.api.post(`/v1/callbacks/${id}/pause`, {}));
    expectUnavailable(paused);
    expect(pauseMs).toBeLessThan(PROMPTLY_MS);
    expect((await stack.api.get(`/v1/callbacks/${id}`)).body.status).toBe('Open');

    // The pause was handed to Temporal: a worker that starts later carries it out, which is why a
    // client reads the record before repeating an action that timed out.
    const worker = await startWorker(stack.config, stack.sql, { workflowBundle: { codePath: inject('workflowBundlePath') } });
    try {
      const later = await recordWhen(stack.api, id, (r) => r.status === 'Paused');
      expect(later.history.map((e: any) => e.type)).toContain('paused');
    } finally {
      await worker.stop();
    }
  });
});

describe('shutting down while requests wait on a record with no worker', () => {
  // `npm start` stops the Temporal dev server with the API: its client's retries then meet a closed channel.
  it.each([false, true])(
    'answers them 503 and stops cleanly, long before their wait would end (Temporal gone too: %s)',
    async (temporalGone) => {
      const relay = await temporalRelay();
      const stack = await startStack({ temporalAddress: relay.address, withoutWorker: true, env: { ...env, TEMPORAL_WAIT_MS: '60000' } });
      try {
        const queue = await newQueue(stack.api);
        const created = await stack.api.post('/v1/callbacks', { phone: freshPhone(), queue, channel: 'api' });
        const waiting = [
          stack.api.post(`/v1/callbacks/${created.body.id}/accept`, { agentId: 'anna' }),
          stack.api.post(`/v1/callbacks/${created.body.id}/pause`, {}),
        ];
        await new Promise((r) => setTimeout(r, 1000));
        if (temporalGone) {
          await relay.down();
          await new Promise((r) => setTimeout(r, 1000));
        }

        const [, stopMs] = await timed(stack.stop());
        for (const reply of await Promise.all(waiting)) expectUnavailable(reply);
        expect(stopMs).toBeLessThan(10_000);
        // A retry on the closed channel would throw here, failing the run as an uncaught error.
        await new Promise((r) => setTimeout(r, 6000));
      } finally {
        await relay.down();
      }
    },
  );
});

/** A TCP relay to the Temporal server, which the test takes down and brings back on the same port. */
async function temporalRelay() {
  const [host, port] = inject('temporalAddress').split(':') as [string, string];
  const sockets = new Set<Socket>();
  let server: Server;
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const listen = (at: number) =>
    new Promise<number>((resolve) => {
      server = createServer((client) => {
        const upstream = tcpConnect(Number(port), host);
        track(client);
        track(upstream);
        client.pipe(upstream).pipe(client);
      });
      server.listen(at, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const relayPort = await listen(0);
  return {
    address: `127.0.0.1:${relayPort}`,
    down: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
    up: async () => {
      if (!server.listening) await listen(relayPort);
    },
  };
}

describe('with Temporal out of reach', () => {
  let stack: Stack;
  let relay: Awaited<ReturnType<typeof temporalRelay>>;
  beforeAll(async () => {
    relay = await temporalRelay();
    stack = await startStack({ temporalAddress: relay.address, sweepMs: 500, env });
  });
  afterAll(async () => {
    await relay?.up();
    await stack?.stop();
  });

  it('takes a request as created within the wait limit, keeps nothing of a refused duplicate, and starts the record once Temporal is back', async () => {
    const queue = await newQueue(stack.api, { area: { duplicatePolicy: 'avoid' } });
    const existing = await stack.api.post('/v1/callbacks', { phone: freshPhone(), queue, channel: 'api' });
    expect(existing.status).toBe(201);
    await recordWhen(stack.api, existing.body.id, (r) => r.version > 1);

    await relay.down();
    try {
      const phone = freshPhone();
      const [created, createMs] = await timed(stack.api.post('/v1/callbacks', { phone, queue, channel: 'api' }));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(createMs).toBeLessThan(PROMPTLY_MS);
      expect(created.headers.get('location')).toBe(`/v1/callbacks/${created.body.id}`);
      expect((await stack.api.get(`/v1/callbacks/${created.body.id}`)).body).toMatchObject({ status: 'Open', version: 1 });

      // A duplicate must tell the existing record's workflow: without Temporal it is refused, and
      // its Idempotency-Key stays free for the retry.
      const duplicate = { phone: existing.body.phone, queue, channel: 'api' };
      const [refused, refuseMs] = await timed(stack.api.post('/v1/callbacks', duplicate, { 'idempotency-key': 'dup-while-down' }));
      expectUnavailable(refused);
      expect(refuseMs).toBeLessThan(PROMPTLY_MS);
      const kept = await stack.sql`select id from callbacks where queue = ${queue} and phone = ${existing.body.phone}`;
      expect(kept.map((r) => r.id)).toEqual([existing.body.id]);
      const [accepted, acceptMs] = await timed(stack.api.post(`/v1/callbacks/${existing.body.id}/accept`, { agentId: 'anna' }));
      expectUnavailable(accepted);
      expect(acceptMs).toBeLessThan(PROMPTLY_MS);
      await relay.up();
      // As a client does: retry after Retry-After until the API's connection is back.
      const retried = await eventually(async () => {
        const reply = await stack.api.post('/v1/callbacks', duplicate, { 'idempotency-key': 'dup-while-down' });
        return reply.status === 503 ? undefined : reply;
      }, 60_000);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ id: existing.body.id, duplicate: true });

      // The sweep leaves records younger than its grace period alone (another API may be about to
      // start them): this one is made older instead of waiting.
      await stack.sql`update callbacks set created_at = now() - interval '1 minute' where id = ${created.body.id}`;
      const started = await recordWhen(stack.api, created.body.id, (r) => r.version > 1, 60_000);
      expect(started.history.map((e: any) => e.type)).toContain('scheduled');
    } finally {
      await relay.up();
    }
  });
});

describe('with PostgreSQL out of reach', () => {
  it('answers 503 with Retry-After, not 500', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const sql = connect({ url: `postgres://postgres@127.0.0.1:${closedPort}/nowhere`, max: 2 });
    const api = await startApi(testConfig(env), sql);
    try {
      // Well-formed, so that the API looks it up.
      const client = http(api.url, { authorization: `Bearer cbk_${'0'.repeat(16)}_${'a'.repeat(43)}` });
      expectUnavailable(await client.get('/v1/queues'));
      expectUnavailable(await client.post('/v1/callbacks', { phone: freshPhone(), queue: 'support', channel: 'api' }));
      // Alive, but not ready: a load balancer stops sending requests, and nothing restarts the process.
      expect((await client.get('/healthz')).status).toBe(200);
      const ready = await client.get('/readyz');
      expectUnavailable(ready);
      expect(ready.body.checks).toMatchObject({
        postgres: expect.stringMatching(/ECONNREFUSED|connect/i),
        temporal: 'ok',
        accepting: 'ok',
      });
    } finally {
      await api.stop();
      await sql.end({ timeout: 1 });
    }
  });
});
