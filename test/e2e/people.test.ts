// People through the whole system: the agent directory and its CSV, accounts, password sign-in
// with lockout, sessions that expire, CSRF refusal, agents acting only as themselves, personal
// tokens, and integrations acting for a named agent with both in the history and the audit log.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, newQueue, recordWhen, startStack, uniqueName, type Stack } from '../support/stack.js';
import { sessionClient } from '../support/session-client.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { LOGIN_LOCK_AFTER: '3', LOGIN_LOCK_SECONDS: '60', LOGIN_LOCK_MAX_SECONDS: '3600' } });
});
afterAll(async () => {
  await stack?.stop();
});

const PASSWORD = 'correct horse battery';

/** A fresh agent in the directory serving `queues`, with an account and a password. */
async function agentWithAccount(queues: string[] = [], extra: Record<string, unknown> = {}) {
  const id = uniqueName('agent');
  const made = await stack.api.post('/v1/agents', { id, displayName: `Agent ${id}`, queues: queues.map((queue) => ({ queue })), ...extra });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const person = await stack.api.post('/v1/people', { id, role: 'agent', password: PASSWORD });
  expect(person.status, JSON.stringify(person.body)).toBe(201);
  return id;
}

async function offeredRecord(queue: string) {
  const created = await stack.api.post('/v1/callbacks', { phone: '070-123 45 67', queue, channel: 'ivr' });
  expect(created.status).toBe(201);
  return recordWhen(stack.api, created.body.id, (r) => r.stage === 'offered');
}

describe('the agent directory', () => {
  it('adds, changes, lists by queue, deactivates and audits agents; refuses unknown queues and taken ids', async () => {
    const queue = await newQueue(stack.api);
    const id = uniqueName('ada');
    const made = await stack.api.post('/v1/agents', {
      id,
      displayName: 'Ada Lovelace',
      queues: [{ queue, priority: 2 }],
      languages: ['sv', 'en-GB'],
      address: 'sip:ada@pbx.example',
      email: `${id}@example.com`,
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      id,
      displayName: 'Ada Lovelace',
      queues: [{ queue, priority: 2 }],
      languages: ['sv', 'en-GB'],
      active: true,
    });
    expect((await stack.api.post('/v1/agents', { id, displayName: 'Again' })).body.type).toBe('already-exists');
    const unknown = await stack.api.post('/v1/agents', { id: uniqueName('x'), displayName: 'X', queues: [{ queue: 'no-such-queue' }] });
    expect(unknown).toMatchObject({ status: 422, body: { type: 'unknown-queue' } });
    expect((await stack.api.post('/v1/agents', { id: 'me', displayName: 'Me' })).status).toBe(400);

    const changed = await stack.api.patch(`/v1/agents/${id}`, { languages: ['fi'], queues: [{ queue }] });
    expect(changed.body).toMatchObject({ languages: ['fi'], queues: [{ queue, priority: null }], address: 'sip:ada@pbx.example' });
    const listed = await stack.api.get(`/v1/agents?queue=${queue}`);
    expect(listed.body.items.map((a: any) => a.id)).toEqual([id]);

    const gone = await stack.api.delete(`/v1/agents/${id}`);
    expect(gone.body).toMatchObject({ id, active: false });
    expect((await stack.api.get(`/v1/agents?queue=${queue}&active=true`)).body.items).toEqual([]);
    const audit = (await stack.api.get(`/v1/audit?actor=${encodeURIComponent(stack.actor)}&limit=200`)).body.items;
    expect(
      audit
        .filter((e: any) => e.detail?.agent?.id === id)
        .map((e: any) => e.action)
        .sort(),
    ).toEqual(['agent-change', 'agent-create', 'agent-deactivate']);
  });

  it('exports as CSV and imports the file back; a bad row refuses the whole file, naming each bad row', async () => {
    const queue = await newQueue(stack.api);
    const a = uniqueName('csv');
    const b = uniqueName('csv');
    const file =
      'id,displayName,queues,languages,address,email,active\r\n' +
      `${a},"Lind, Anna",${queue}:1,sv;en,+46701234567,${a}@example.com,true\r\n` +
      `${b},=Formula Bob,${queue},,,,false\r\n`;
    const ok = await fetch(`${stack.apiUrl}/v1/agents/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.keys.admin}`, 'content-type': 'text/csv' },
      body: file,
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ created: [a, b], updated: [] }); // in the file's order
    expect((await stack.api.get(`/v1/agents/${a}`)).body).toMatchObject({
      displayName: 'Lind, Anna',
      queues: [{ queue, priority: 1 }],
      languages: ['sv', 'en'],
      address: '+46701234567',
      active: true,
    });

    const exported = await stack.api.get('/v1/agents/export.csv');
    expect(exported.type).toMatch(/^text\/csv/);
    const lines = (exported.body as string).split('\r\n').filter((l) => l.startsWith(`${a},`) || l.startsWith(`${b},`));
    lines.sort((x, y) => (x.startsWith(a) ? -1 : 1) - (y.startsWith(a) ? -1 : 1));
    expect(lines).toEqual([
      `${a},"Lind, Anna",${queue}:1,sv;en,+46701234567,${a}@example.com,true`,
      `${b},'=Formula Bob,${queue},,,,false`,
    ]);

    // The export, changed and sent back, replaces the agents it names; the formula guard reads back as the name.
    const again = await fetch(`${stack.apiUrl}/v1/agents/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.keys.admin}`, 'content-type': 'text/csv' },
      body: `\uFEFFid,displayName,queues,languages,address,email,active\r\n${lines[1]!.replace('false', 'true')}\r\n`,
    });
    expect(await again.json()).toEqual({ created: [], updated: [b] });
    expect((await stack.api.get(`/v1/agents/${b}`)).body).toMatchObject({ displayName: '=Formula Bob', active: true });

    const c = uniqueName('csv');
    const bad =
      'id,displayName,queues,active\n' +
      `${c},Carl,${queue},true\n` +
      `,No Id,${queue},true\n` +
      `${uniqueName('csv')},Dora,no-such-queue,maybe\n` +
      `${c},Carl Again,,true\n`;
    const refused = await fetch(`${stack.apiUrl}/v1/agents/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.keys.admin}`, 'content-type': 'text/csv' },
      body: bad,
    });
    expect(refused.status).toBe(422);
    const problem = (await refused.json()) as any;
    expect(problem.type).toBe('invalid-csv');
    expect(problem.rows.map((r: any) => r.row)).toEqual([3, 4, 5]);
    expect(problem.rows[0].errors[0].path).toBe('id');
    expect(problem.rows[1].errors[0].path).toBe('active');
    expect(problem.rows[2].errors[0].message).toContain('row 2');
    expect((await stack.api.get(`/v1/agents/${c}`)).status).toBe(404);

    const unknownQueue = await fetch(`${stack.apiUrl}/v1/agents/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.keys.admin}`, 'content-type': 'text/csv' },
      body: `id,displayName,queues\n${c},Carl,no-such-queue\n`,
    });
    expect(await unknownQueue.json()).toMatchObject({ type: 'invalid-csv', rows: [{ row: 2, errors: [{ path: 'queues' }] }] });
    expect((await stack.api.get(`/v1/agents/${c}`)).status).toBe(404);
    const asJson = await stack.api.post('/v1/agents/import', { id: c });
    expect(asJson.status).toBe(415);
  });
});

describe('signing in with a password', () => {
  it('sets an HttpOnly, SameSite session cookie, says who is signed in, and signs out', async () => {
    const id = await agentWithAccount();
    const browser = sessionClient(stack.apiUrl);
    const wrong = await browser.signIn(id, 'not the password');
    expect(wrong).toMatchObject({ status: 401, body: { type: 'sign-in-failed' } });
    const nobody = await browser.signIn('nobody-at-all', PASSWORD);
    expect(nobody.body).toEqual({ ...wrong.body, instance: '/v1/session' });

    const signed = await browser.signIn(id, PASSWORD);
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ kind: 'person', role: 'agent', agentId: id, name: `person:${id}`, method: 'password' });
    const cookie = browser.lastSetCookie.find((c) => c.startsWith('cbk_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // localhost
    const [stored] = await stack.sql`select id_sha256 from sessions where person_id = ${id}`;
    expect(browser.cookies.get('cbk_session')).not.toBe(stored!.idSha256);

    const who = await browser.send('GET', '/v1/session');
    expect(who.body).toMatchObject({
      kind: 'person',
      agentId: id,
      csrfToken: signed.body.csrfToken,
      person: { id, role: 'agent', hasPassword: true },
    });
    expect((await browser.send('GET', '/v1/agents/me')).body).toMatchObject({ id });
    // An agent's session may not do what an agent may not.
    expect((await browser.send('GET', '/v1/agents')).body.type).toBe('forbidden');

    expect((await browser.send('DELETE', '/v1/session')).body.type).toBe('csrf-refused');
    expect((await browser.send('DELETE', '/v1/session', { headers: browser.withCsrf() })).status).toBe(204);
    const after = await browser.send('GET', '/v1/session', { headers: { cookie: `cbk_session=${cookie.split(';')[0]!.split('=')[1]}` } });
    expect(after).toMatchObject({ status: 401, body: { type: 'unauthenticated' } });
  });

  it('marks the cookie Secure when the site is not localhost', async () => {
    const id = await agentWithAccount();
    const { port } = new URL(stack.apiUrl);
    const setCookie = await new Promise<string[]>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/v1/session',
          method: 'POST',
          headers: { host: 'callbacks.example', 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          resolve(res.headers['set-cookie'] ?? []);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ id, password: PASSWORD }));
    });
    expect(setCookie.find((c) => c.startsWith('cbk_session='))).toMatch(/; Secure/);
  });

  it("locks the account after repeated failures, longer each time; an administrator's new password opens it and ends its sessions", async () => {
    const id = await agentWithAccount();
    const before = sessionClient(stack.apiUrl);
    expect((await before.signIn(id, PASSWORD)).status).toBe(200);

    const browser = sessionClient(stack.apiUrl);
    for (let i = 0; i < 2; i++) expect((await browser.signIn(id, 'wrong password')).body.type).toBe('sign-in-failed');
    const locked = await browser.signIn(id, 'wrong password');
    expect(locked).toMatchObject({ status: 429, body: { type: 'account-locked' } });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(30);
    // Locked: even the right password is not checked.
    expect((await browser.signIn(id, PASSWORD)).body.type).toBe('account-locked');
    const firstLock = Date.parse(locked.body.lockedUntil) - Date.now();

    // The lock runs out; three more failures lock it twice as long.
    await stack.sql`update people set locked_until = now() - interval '1 second' where id = ${id}`;
    for (let i = 0; i < 2; i++) expect((await browser.signIn(id, 'wrong password')).body.type).toBe('sign-in-failed');
    const second = await browser.signIn(id, 'wrong password');
    expect(second.body.type).toBe('account-locked');
    expect(Date.parse(second.body.lockedUntil) - Date.now()).toBeGreaterThan(firstLock * 1.5);
    expect((await stack.api.get(`/v1/people/${id}`)).body.lockedUntil).not.toBeNull();

    const reset = await stack.api.post(`/v1/people/${id}/password`, { password: 'a new temporary one' });
    expect(reset.body).toMatchObject({ id, lockedUntil: null });
    expect((await before.send('GET', '/v1/session')).status).toBe(401);
    expect((await browser.signIn(id, PASSWORD)).body.type).toBe('sign-in-failed');
    expect((await browser.signIn(id, 'a new temporary one')).status).toBe(200);
    const audit = (await stack.api.get(`/v1/audit?actor=person:${id}&action=sign-in&limit=50`)).body.items.map((e: any) => e.result);
    expect(audit).toContain('account-locked');
    expect(audit).toContain('ok');
  });

  it('ends a session idle too long, and one past its absolute expiry', async () => {
    const id = await agentWithAccount();
    const idle = sessionClient(stack.apiUrl);
    await idle.signIn(id, PASSWORD);
    expect((await idle.send('GET', '/v1/agents/me')).status).toBe(200);
    await stack.sql`update sessions set last_seen_at = now() - make_interval(secs => ${stack.config.SESSION_IDLE_SECONDS + 1}) where csrf_token = ${idle.csrfToken}`;
    const ended = await idle.send('GET', '/v1/agents/me');
    expect(ended).toMatchObject({ status: 401, body: { type: 'unauthenticated' } });
    expect(ended.body.title).toMatch(/session has ended/);

    const old = sessionClient(stack.apiUrl);
    await old.signIn(id, PASSWORD);
    await stack.sql`update sessions set expires_at = now() - interval '1 second' where csrf_token = ${old.csrfToken}`;
    expect((await old.send('GET', '/v1/agents/me')).status).toBe(401);
    expect((await stack.sql`select 1 from sessions where csrf_token in (${idle.csrfToken}, ${old.csrfToken})`).length).toBe(0);
  });

  it('ends the sessions of a deactivated agent, and refuses their sign-in', async () => {
    const id = await agentWithAccount();
    const browser = sessionClient(stack.apiUrl);
    await browser.signIn(id, PASSWORD);
    await stack.api.delete(`/v1/agents/${id}`);
    expect((await browser.send('GET', '/v1/agents/me')).status).toBe(401);
    expect((await browser.signIn(id, PASSWORD)).body.type).toBe('sign-in-failed');
  });
});

describe('acting as the signed-in agent', () => {
  it('takes, dials and wraps up a record as the signed-in agent; naming another agent is a 403, and so is a request without the CSRF token', async () => {
    const queue = await newQueue(stack.api);
    const id = await agentWithAccount([queue]);
    const browser = sessionClient(stack.apiUrl);
    await browser.signIn(id, PASSWORD);
    const record = await offeredRecord(queue);

    const noToken = await browser.send('POST', `/v1/queues/${queue}/next`, { json: {} });
    expect(noToken).toMatchObject({ status: 403, body: { type: 'csrf-refused' } });
    const foreign = await browser.send('POST', `/v1/queues/${queue}/next`, {
      json: {},
      headers: browser.withCsrf({ origin: 'https://evil.example' }),
    });
    expect(foreign.body.type).toBe('csrf-refused');
    const other = await browser.send('POST', `/v1/queues/${queue}/next`, {
      json: { agentId: 'someone-else' },
      headers: browser.withCsrf(),
    });
    expect(other).toMatchObject({ status: 403, body: { type: 'acting-as-another-agent', agentId: 'someone-else', signedInAs: id } });
    expect((await stack.api.get(`/v1/callbacks/${record.id}`)).body.stage).toBe('offered');

    const taken = await browser.send('POST', `/v1/queues/${queue}/next`, {
      json: {},
      headers: browser.withCsrf({ origin: new URL(stack.apiUrl).origin }),
    });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(taken.body).toMatchObject({ id: record.id, agentId: id });
    await recordWhen(stack.api, record.id, (r) => r.stage === 'connected');

    const wrongFeedback = await browser.send('POST', `/v1/callbacks/${record.id}/feedback`, {
      json: { agentId: 'someone-else', outcome: 'completed' },
      headers: browser.withCsrf(),
    });
    expect(wrongFeedback.body.type).toBe('acting-as-another-agent');
    const done = await browser.send('POST', `/v1/callbacks/${record.id}/feedback`, {
      json: { outcome: 'completed' },
      headers: browser.withCsrf(),
    });
    expect(done.body).toMatchObject({ status: 'Closed', closeReason: 'completed' });
    const closed = await recordWhen(stack.api, record.id, (r) => r.status === 'Closed');
    const actors = closed.history.filter((e: any) => ['accepted', 'feedback'].includes(e.type)).map((e: any) => e.actor);
    expect(actors).toEqual([`agent:${id}`, `agent:${id}`]);
  });

  it("refuses and accepts through an agent's personal token, which acts as that agent only and stops with the agent", async () => {
    const queue = await newQueue(stack.api);
    const id = await agentWithAccount([queue]);
    const browser = sessionClient(stack.apiUrl);
    await browser.signIn(id, PASSWORD);
    const made = await browser.send('POST', '/v1/agents/me/tokens', { headers: browser.withCsrf() });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ role: 'agent', agentId: id, createdBy: `person:${id}` });
    const desk = { authorization: `Bearer ${made.body.key}`, 'x-actor': '' };

    const record = await offeredRecord(queue);
    const other = await stack.api.post(`/v1/callbacks/${record.id}/refuse`, { agentId: 'someone-else', reason: 'not me' }, desk);
    expect(other.body.type).toBe('acting-as-another-agent');
    const refused = await stack.api.post(`/v1/callbacks/${record.id}/refuse`, { reason: 'speaks only Finnish' }, desk);
    expect(refused.status).toBe(200);
    const history = (await stack.api.get(`/v1/callbacks/${record.id}`)).body.history;
    expect(history.find((e: any) => e.type === 'refused')).toMatchObject({
      actor: `agent:${id}`,
      detail: { reason: 'speaks only Finnish' },
    });
    expect((await stack.api.get('/v1/agents/me', desk)).body.id).toBe(id);

    // A shared agent key bound to nobody acts as nobody.
    const shared = await stack.api.post(
      `/v1/callbacks/${record.id}/accept`,
      { agentId: id },
      { authorization: `Bearer ${stack.keys.agent}` },
    );
    expect(shared).toMatchObject({ status: 403, body: { type: 'not-an-agent' } });

    await stack.api.delete(`/v1/agents/${id}`);
    // Each API process remembers a verified key for up to 5 s.
    await eventually(
      async () => ((await stack.api.get('/v1/agents/me', desk)).status === 401 ? true : undefined),
      15_000,
      'the token to stop',
    );
  });

  it('lets an integration key act for a named agent, with both in the history and the audit log', async () => {
    const queue = await newQueue(stack.api);
    const id = await agentWithAccount([queue]);
    const record = await offeredRecord(queue);
    const crm = stack.as('integration');
    expect((await crm.post(`/v1/callbacks/${record.id}/accept`, {})).body).toMatchObject({ status: 400, errors: [{ path: 'agentId' }] });
    const accepted = await crm.post(`/v1/callbacks/${record.id}/accept`, { agentId: id });
    expect(accepted.status).toBe(200);
    const keyName = (await stack.api.get('/v1/session', { authorization: `Bearer ${stack.keys.integration}` })).body.name;
    const actor = `integration:${keyName}/agent:${id}`;
    const history = (await stack.api.get(`/v1/callbacks/${record.id}`)).body.history;
    expect(history.find((e: any) => e.type === 'accepted').actor).toBe(actor);
    const audit = (await stack.api.get(`/v1/audit?recordId=${record.id}&limit=10`)).body.items;
    expect(audit).toContainEqual(expect.objectContaining({ actor, action: 'agent-accept', result: 'ok' }));
  });
});

describe('accounts', () => {
  it("are made by administrators; an agent's account needs its directory entry; an admin session administers", async () => {
    const lone = uniqueName('lone');
    expect((await stack.api.post('/v1/people', { id: lone, role: 'agent', password: PASSWORD })).body.type).toBe('unknown-agent');
    expect((await stack.api.post('/v1/people', { id: lone, role: 'admin', password: 'short' })).status).toBe(400);
    const made = await stack.api.post('/v1/people', { id: lone, role: 'admin', displayName: 'Lone Admin', password: PASSWORD });
    expect(made.body).toMatchObject({ id: lone, role: 'admin', hasPassword: true, createdBy: stack.actor });
    expect(JSON.stringify(made.body)).not.toContain('scrypt');
    const [stored] = await stack.sql`select password_hash from people where id = ${lone}`;
    expect(stored!.passwordHash).toMatch(/^scrypt\$32768\$8\$3\$[\w-]{22}\$[\w-]{43}$/);

    const admin = sessionClient(stack.apiUrl);
    await admin.signIn(lone, PASSWORD);
    const id = uniqueName('agent');
    const byAdmin = await admin.send('POST', '/v1/agents', { json: { id, displayName: 'By Admin' }, headers: admin.withCsrf() });
    expect(byAdmin.status).toBe(201);
    const audit = (await stack.api.get(`/v1/audit?actor=person:${lone}&action=agent-create`)).body.items;
    expect(audit[0]).toMatchObject({ actor: `person:${lone}`, detail: { agent: { id } } });

    const off = await stack.api.patch(`/v1/people/${lone}`, { active: false });
    expect(off.body.active).toBe(false);
    expect((await admin.send('GET', '/v1/session')).status).toBe(401);
  });
});
