// A small local stand-in of Twilio's REST API for calls (create, fetch, list, update), following
// its documented requests and responses, that plays both legs of an agent-first call: it calls
// the agent, fetches the TwiML from the call's Url when the agent answers, dials the <Number> in
// it, and posts status and AMD callbacks signed with the SDK's own helper. Who answers is
// decided by the numbers, like the simulator's test numbers.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

/** Agent devices ending in 9999 never answer; 9998 rings until `release(device)` is called. */
export const AGENT_NEVER_ANSWERS = '9999';
export const AGENT_WAITS = '9998';

/** The customer's last four digits, as the simulator's test numbers. */
const CUSTOMER: Record<string, { status: string; sip?: number; answeredBy?: string }> = {
  '0001': { status: 'busy' },
  '0002': { status: 'no-answer' },
  '0003': { status: 'in-progress', answeredBy: 'machine_start' },
  '0004': { status: 'failed', sip: 404 },
  '0005': { status: 'in-progress', answeredBy: 'fax' },
  '0006': { status: 'failed', sip: 503 },
  '0007': { status: 'in-progress', answeredBy: 'machine_end_beep' },
};

interface Call {
  sid: string;
  to: string;
  from: string;
  status: string;
  parentCallSid: string | null;
  answeredBy: string | null;
  dateCreated: Date;
  url: string | null;
  statusCallback: string | null;
}

export interface StandInOptions {
  accountSid: string;
  authToken: string;
  /** Each callback is posted twice. */
  duplicate?: boolean;
  /** The customer leg's callbacks are posted last first. */
  reverse?: boolean;
}

export interface TwilioStandIn {
  url: string;
  /** Every `POST Calls.json`, as received (form parameters). */
  creates: Record<string, string | string[]>[];
  /** Every callback posted, with the status our API answered. */
  posted: { url: string; params: Record<string, string>; status: number }[];
  calls: Map<string, Call>;
  options: StandInOptions;
  release(device: string): void;
  close(): Promise<void>;
}

const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

function resource(accountSid: string, c: Call) {
  return {
    sid: c.sid,
    account_sid: accountSid,
    to: c.to,
    from: c.from,
    status: c.status,
    parent_call_sid: c.parentCallSid,
    answered_by: c.answeredBy,
    date_created: rfc2822(c.dateCreated),
    date_updated: rfc2822(new Date()),
    start_time: null,
    end_time: null,
    direction: c.parentCallSid ? 'outbound-dial' : 'outbound-api',
    api_version: '2010-04-01',
    uri: `/2010-04-01/Accounts/${accountSid}/Calls/${c.sid}.json`,
  };
}

async function readForm(req: IncomingMessage): Promise<Record<string, string | string[]>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const form: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
    const had = form[k];
    form[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return form;
}

const attr = (tag: string, name: string) => tag.match(new RegExp(`${name}="([^"]*)"`))?.[1]?.replace(/&amp;/g, '&') ?? null;

export async function startTwilioStandIn(options: StandInOptions): Promise<TwilioStandIn> {
  const calls = new Map<string, Call>();
  const creates: TwilioStandIn['creates'] = [];
  const posted: TwilioStandIn['posted'] = [];
  const waiting = new Map<string, () => void>();
  /** Released before the agent's device started ringing. */
  const released = new Set<string>();
  const running = new Set<Promise<unknown>>();
  const sid = () => `CA${randomBytes(16).toString('hex')}`;
  const pause = () => new Promise((r) => setTimeout(r, 30));

  async function post(url: string, params: Record<string, string>): Promise<string> {
    const signature = twilio.getExpectedTwilioSignature(options.authToken, url, params);
    const times = options.duplicate ? 2 : 1;
    let text = '';
    for (let i = 0; i < times; i++) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
      });
      text = await res.text();
      posted.push({ url, params, status: res.status });
    }
    return text;
  }

  const params = (c: Call, extra: Record<string, string> = {}) => ({
    AccountSid: options.accountSid,
    CallSid: c.sid,
    From: c.from,
    To: c.to,
    CallStatus: c.status,
    ApiVersion: '2010-04-01',
    ...(c.parentCallSid ? { ParentCallSid: c.parentCallSid } : {}),
    ...extra,
  });

  /** The agent leg, then (if the agent answers) the customer leg the TwiML dials. */
  async function play(agent: Call) {
    const agentStatus = (status: string) => {
      agent.status = status;
      return post(agent.statusCallback!, params(agent));
    };
    await agentStatus('initiated');
    await agentStatus('ringing');
    if (agent.to.endsWith(AGENT_WAITS) && !released.delete(agent.to)) await new Promise<void>((r) => waiting.set(agent.to, r));
    if (agent.to.endsWith(AGENT_NEVER_ANSWERS)) return agentStatus('no-answer');
    await agentStatus('in-progress');
    const twiml = await post(agent.url!, params(agent));
    const number = twiml.match(/<Number([^>]*)>([^<]+)<\/Number>/);
    if (!number) return agentStatus('completed');
    const [, attrs, phone] = number as unknown as [string, string, string];
    const customer: Call = {
      sid: sid(),
      to: phone,
      from: agent.from,
      status: 'queued',
      parentCallSid: agent.sid,
      answeredBy: null,
      dateCreated: new Date(),
      url: null,
      statusCallback: attr(attrs, 'statusCallback'),
    };
    calls.set(customer.sid, customer);
    const amdUrl = attr(attrs, 'amdStatusCallback');
    const plan = CUSTOMER[phone.slice(-4)] ?? { status: 'in-progress', answeredBy: 'human' };
    const steps: [string, Record<string, string>][] = [
      [customer.statusCallback!, params({ ...customer, status: 'initiated' })],
      [customer.statusCallback!, params({ ...customer, status: 'ringing' })],
    ];
    if (plan.status === 'in-progress') {
      steps.push([customer.statusCallback!, params({ ...customer, status: 'in-progress' })]);
      if (amdUrl && plan.answeredBy) {
        steps.push([
          amdUrl,
          { AccountSid: options.accountSid, CallSid: customer.sid, AnsweredBy: plan.answeredBy, MachineDetectionDuration: '1200' },
        ]);
      }
    } else {
      steps.push([
        customer.statusCallback!,
        params({ ...customer, status: plan.status }, plan.sip ? { SipResponseCode: String(plan.sip) } : {}),
      ]);
    }
    customer.status = plan.status;
    customer.answeredBy = plan.answeredBy ?? null;
    if (options.reverse) steps.reverse();
    for (const [url, p] of steps) {
      await post(url, p);
      await pause();
    }
    if (plan.status !== 'in-progress') return agentStatus('completed');
  }

  async function hangUp(c: Call) {
    const legs = [c, ...[...calls.values()].filter((x) => x.parentCallSid === c.sid)];
    for (const leg of legs.reverse()) {
      if (leg.status === 'completed') continue;
      leg.status = 'completed';
      if (leg.statusCallback) await post(leg.statusCallback, params(leg));
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const expected = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return json(401, { code: 20003, message: 'Authenticate', status: 401 });
    const url = new URL(req.url!, 'http://stand-in');
    const base = `/2010-04-01/Accounts/${options.accountSid}/Calls`;
    if (req.method === 'POST' && url.pathname === `${base}.json`) {
      const form = await readForm(req);
      creates.push(form);
      const call: Call = {
        sid: sid(),
        to: String(form.To),
        from: String(form.From),
        status: 'queued',
        parentCallSid: null,
        answeredBy: null,
        dateCreated: new Date(),
        url: String(form.Url),
        statusCallback: String(form.StatusCallback),
      };
      calls.set(call.sid, call);
      json(201, resource(options.accountSid, call));
      const p = play(call).catch((err) => console.error('[twilio stand-in]', err));
      running.add(p);
      void p.finally(() => running.delete(p));
      return;
    }
    if (req.method === 'GET' && url.pathname === `${base}.json`) {
      const q = url.searchParams;
      const list = [...calls.values()]
        .filter((c) => (!q.get('To') || c.to === q.get('To')) && (!q.get('From') || c.from === q.get('From')))
        .filter((c) => !q.get('ParentCallSid') || c.parentCallSid === q.get('ParentCallSid'))
        .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
      return json(200, {
        calls: list.map((c) => resource(options.accountSid, c)),
        page: 0,
        page_size: 50,
        start: 0,
        end: list.length,
        first_page_uri: `${base}.json?PageSize=50&Page=0`,
        next_page_uri: null,
        previous_page_uri: null,
        uri: `${base}.json`,
      });
    }
    const one = url.pathname.match(new RegExp(`^${base}/(CA[0-9a-f]{32})\\.json$`));
    const call = one ? calls.get(one[1]!) : undefined;
    if (one && !call) return json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    if (call && req.method === 'GET') return json(200, resource(options.accountSid, call));
    if (call && req.method === 'POST') {
      const form = await readForm(req);
      json(200, resource(options.accountSid, { ...call, status: form.Status === 'completed' ? 'completed' : call.status }));
      if (form.Status === 'completed') void hangUp(call).catch((err) => console.error('[twilio stand-in]', err));
      return;
    }
    json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    creates,
    posted,
    calls,
    options,
    release(device) {
      const answer = waiting.get(device);
      if (!answer) released.add(device);
      answer?.();
      waiting.delete(device);
    },
    async close() {
      for (const r of waiting.values()) r();
      await Promise.allSettled([...running]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
