// A reference gateway speaking the documented protocol (README: "The http gateway protocol"): it
// takes signed call requests, idempotent by our call id, answers GET /calls/{callId} with the
// events so far, and posts signed leg events back. Who answers is decided by the numbers, like
// the simulator's test numbers; an agent device ending in 9999 never answers.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { signedHeaders, verify } from '../../telephony/signing.js';

const CUSTOMER: Record<string, { status: string; sipCode?: number; answeredBy?: string }> = {
  '0001': { status: 'busy' },
  '0002': { status: 'no-answer' },
  '0003': { status: 'answered', answeredBy: 'machine' },
  '0004': { status: 'failed', sipCode: 404 },
  '0005': { status: 'answered', answeredBy: 'fax' },
  '0006': { status: 'failed', sipCode: 503 },
};

interface GatewayCall {
  gatewayCallId: string;
  request: any;
  events: Record<string, unknown>[];
  hungUp: boolean;
}

export interface ReferenceGateway {
  url: string;
  calls: Map<string, GatewayCall>;
  /** Every POST /calls, including repeats. */
  requests: any[];
  /** Requests refused for a bad signature. */
  refused: number;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startReferenceGateway(secret: string): Promise<ReferenceGateway> {
  const calls = new Map<string, GatewayCall>();
  const requests: any[] = [];
  const gateway = { refused: 0 };

  async function emit(call: GatewayCall, event: Record<string, unknown>) {
    const full = { callId: call.request.callId, ...event, at: new Date().toISOString() };
    call.events.push(full);
    const raw = JSON.stringify(full);
    await fetch(call.request.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(secret, raw) },
      body: raw,
    });
  }

  async function play(call: GatewayCall) {
    const { agent, customer } = call.request;
    await emit(call, { leg: 'agent', status: 'initiated' });
    await emit(call, { leg: 'agent', status: 'ringing' });
    if (String(agent.device).endsWith('9999')) return emit(call, { leg: 'agent', status: 'no-answer' });
    await emit(call, { leg: 'agent', status: 'answered' });
    await emit(call, { leg: 'customer', status: 'initiated' });
    await emit(call, { leg: 'customer', status: 'ringing' });
    const plan = CUSTOMER[String(customer.phone).slice(-4)] ?? { status: 'answered', answeredBy: 'human' };
    await emit(call, { leg: 'customer', ...plan });
    if (plan.status !== 'answered') await emit(call, { leg: 'agent', status: 'completed' });
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await body(req);
      const ok = verify(
        secret,
        { timestamp: req.headers['telephony-timestamp'] as string, signature: req.headers['telephony-signature'] as string },
        raw,
      );
      const json = (status: number, b: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(b));
      };
      if (!ok) {
        gateway.refused += 1;
        return json(401, { error: 'bad signature' });
      }
      const url = new URL(req.url!, 'http://gateway');
      if (req.method === 'POST' && url.pathname === '/calls') {
        const request = JSON.parse(raw);
        requests.push(request);
        const existing = calls.get(request.callId);
        if (existing) return json(200, { gatewayCallId: existing.gatewayCallId });
        const call: GatewayCall = { gatewayCallId: randomUUID(), request, events: [], hungUp: false };
        calls.set(request.callId, call);
        json(201, { gatewayCallId: call.gatewayCallId });
        void play(call).catch((err) => console.error('[reference gateway]', err));
        return;
      }
      const one = url.pathname.match(/^\/calls\/([^/]+)(\/hangup)?$/);
      const call = one ? calls.get(decodeURIComponent(one[1]!)) : undefined;
      if (!call) return json(404, { error: 'no such call' });
      if (req.method === 'GET' && !one![2]) return json(200, { gatewayCallId: call.gatewayCallId, events: call.events });
      if (req.method === 'POST' && one![2]) {
        call.hungUp = true;
        return json(200, { gatewayCallId: call.gatewayCallId });
      }
      json(404, { error: 'no such route' });
    })().catch((err) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    requests,
    get refused() {
      return gateway.refused;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
