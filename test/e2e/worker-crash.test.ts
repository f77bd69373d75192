// The worker process dies in the middle of a dial: the record still finishes, and the
// customer's phone rang once.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, recordWhen, startStack, newQueue, type Stack } from '../support/stack.js';

let stack: Stack;
const children: ChildProcess[] = [];

beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await stack?.stop();
});

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The production worker entry point, as its own process on the stack's task queue. */
function startWorkerProcess(ringMs: number): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: stack.config.TEMPORAL_ADDRESS,
      DATABASE_URL: stack.config.DATABASE_URL,
      DATABASE_PREPARE: String(stack.config.DATABASE_PREPARE),
      DATABASE_POOL_MAX: '2',
      TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
      DIALLER_RING_MS: String(ringMs),
      RECORD_SWEEP_MS: String(stack.config.RECORD_SWEEP_MS),
      PAYLOAD_KEYS: stack.config.PAYLOAD_KEYS!,
      // Tests run side by side: each worker's /metrics listener on a port of its own.
      WORKER_METRICS_PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

it('finishes a record whose worker was killed mid-dial, with one dial in its history', async () => {
  const queue = await newQueue(stack.api);
  const first = startWorkerProcess(8000);
  const created = await stack.api.post('/v1/callbacks', { phone: '+46701230009', queue, channel: 'agent' });
  const id = created.body.id;
  await recordWhen(stack.api, id, (r) => r.stage === 'offered', 60_000);
  expect((await stack.api.post(`/v1/callbacks/${id}/accept`, { agentId: 'anna' })).status).toBe(200);

  // Kill the worker once the call is ringing: the simulated telephony platform has placed it.
  await eventually(
    async () => {
      const [call] = await stack.sql`select 1 from simulated_calls where record_id = ${id}`;
      return call ? true : undefined;
    },
    60_000,
    'the call to be placed',
  );
  const exited = new Promise((resolve) => first.once('exit', resolve));
  first.kill('SIGKILL');
  await exited;

  startWorkerProcess(8000);
  const connected = await recordWhen(stack.api, id, (r) => r.stage === 'connected', 90_000);
  expect(connected).toMatchObject({ attempts: 1, latestOutcome: 'answered' });
  const done = await stack.api.post(`/v1/callbacks/${id}/feedback`, { agentId: 'anna', outcome: 'completed' });
  expect(done.body).toMatchObject({ status: 'Closed', closeReason: 'completed' });

  const closed = await recordWhen(stack.api, id, (r) => r.status === 'Closed');
  expect(closed.history.filter((e: any) => e.type === 'dialling')).toHaveLength(1);
  expect(closed.history.filter((e: any) => e.type === 'dialled')).toHaveLength(1);
  const calls = await stack.sql`select call_id from simulated_calls where record_id = ${id}`;
  expect(calls.map((c) => c.callId)).toEqual([`${id}:1`]);
});
