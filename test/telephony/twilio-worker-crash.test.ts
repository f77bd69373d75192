// The worker process dies while Twilio rings the agent: the dial's heartbeat stops, its retry on
// a new worker finds the call in the call log (no second call), and the outcome, called back to
// another API process, completes it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporalDataConverterOf } from '../../config/index.js';
import { eventually, recordWhen, startStack, type Stack } from '../support/stack.js';
import { AGENT_WAITS, startTwilioStandIn, type TwilioStandIn } from './twilio-stand-in.js';
import { freePort, telephonyQueue } from './support.js';

const accountSid = `AC${randomBytes(16).toString('hex')}`;
const authToken = randomBytes(16).toString('hex');

let standIn: TwilioStandIn;
let stack: Stack;
let env: Record<string, string>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  standIn = await startTwilioStandIn({ accountSid, authToken });
  const port = await freePort();
  env = {
    PORT: String(port),
    DIALLER: 'twilio',
    TELEPHONY_PUBLIC_URL: `http://127.0.0.1:${port}`,
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_API_BASE_URL: standIn.url,
    TELEPHONY_KEEPER_MS: '500',
  };
  stack = await startStack({ env, withoutWorker: true });
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await stack?.stop();
  await standIn?.close();
});

const createsFor = (callIdPrefix: string) => standIn.creates.filter((c) => String(c.Url).includes(encodeURIComponent(callIdPrefix)));

describe('a worker killed mid-call', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));

  it('finishes the call with one call placed; the new worker does not dial again', { timeout: 600_000 }, async () => {
    const other = await startStack({ withoutWorker: true, env: { ...env, PORT: String(await freePort()) } });
    // The provider calls back to the first stack's API: any API process takes any callback.
    try {
      const worker = () => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
          cwd: root,
          env: {
            ...process.env,
            ...env,
            TEMPORAL_ADDRESS: other.config.TEMPORAL_ADDRESS,
            DATABASE_URL: other.config.DATABASE_URL,
            DATABASE_PREPARE: String(other.config.DATABASE_PREPARE),
            DATABASE_POOL_MAX: '2',
            PAYLOAD_KEYS: other.config.PAYLOAD_KEYS!,
            // Tests run side by side: each worker's /metrics listener on a port of its own.
            WORKER_METRICS_PORT: '0',
            TEMPORAL_TASK_QUEUE: other.config.TEMPORAL_TASK_QUEUE,
            RECORD_SWEEP_MS: String(other.config.RECORD_SWEEP_MS),
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        children.push(child);
        return child;
      };
      const device = `+4670002${AGENT_WAITS}`;
      const queue = await telephonyQueue(other, device);
      const first = worker();
      const created = await other.api.post('/v1/callbacks', { phone: '+46701230049', queue, channel: 'agent' });
      const id = created.body.id;
      await recordWhen(other.api, id, (r) => r.stage === 'offered', 90_000);
      expect((await other.api.post(`/v1/callbacks/${id}/accept`, { agentId: 'agent-crash' })).status).toBe(200);
      const token = await eventually(
        async () => (await other.sql`select task_token from telephony_calls where call_id = ${`${id}:1`}`)[0]?.taskToken ?? undefined,
        180_000,
        'the call to be placed',
      );
      expect(createsFor(`${id}:`)).toHaveLength(1);
      const exited = new Promise((resolve) => first.once('exit', resolve));
      first.kill('SIGKILL');
      await exited;

      // With no worker left, nothing heartbeats the dial: its attempt times out and a retry waits
      // for a worker. (A worker started sooner would keep the first attempt alive: its keeper
      // heartbeats every waiting call, and the outcome would complete it just the same.)
      const connection = await Connection.connect({ address: other.config.TEMPORAL_ADDRESS! });
      try {
        const handle = new Client({ connection, dataConverter: temporalDataConverterOf(other.config) }).workflow.getHandle(id);
        await eventually(
          async () => ((await handle.describe()).raw.pendingActivities ?? []).some((a) => (a.attempt ?? 0) >= 2) || undefined,
          120_000,
          'the dial attempt to time out',
        );
      } finally {
        await connection.close();
      }
      worker();
      // The retry on the new worker finds the call in the call log. (A worker started from source
      // bundles the workflows first: on a loaded machine, a minute or more.)
      await eventually(
        async () => {
          const [row] = await other.sql`select task_token from telephony_calls where call_id = ${`${id}:1`}`;
          return row?.taskToken && !Buffer.from(row.taskToken).equals(Buffer.from(token)) ? true : undefined;
        },
        240_000,
        'the dial to be retried',
      );
      standIn.release(device);
      const connected = await recordWhen(other.api, id, (r) => r.stage === 'connected', 180_000);
      expect(connected).toMatchObject({ attempts: 1, latestOutcome: 'answered' });
      expect(connected.history.filter((e: any) => e.type === 'dialling')).toHaveLength(1);
      expect(createsFor(`${id}:`)).toHaveLength(1);
    } finally {
      await other.stop();
    }
  });
});
