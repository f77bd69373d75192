// A browser as the API sees it: it keeps the cookies it is given and sends them back, follows no
// redirect by itself, and sends the session's CSRF token only when a test says so.
import type { Reply } from './stack.js';

export interface SessionClient {
  cookies: Map<string, string>;
  /** The Set-Cookie headers of the last answer, as sent. */
  lastSetCookie: string[];
  send<T = any>(
    method: string,
    path: string,
    options?: { json?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<Reply<T>>;
  /** Signs in with a password; the CSRF token of the session is kept for `withCsrf`. */
  signIn(id: string, password: string): Promise<Reply>;
  csrfToken: string | null;
  /** The headers of a state-changing request: the CSRF token. */
  withCsrf(headers?: Record<string, string>): Record<string, string>;
}

export function sessionClient(base: string): SessionClient {
  const client: SessionClient = {
    cookies: new Map(),
    lastSetCookie: [],
    csrfToken: null,
    async send(method, path, { json, raw, headers = {} } = {}) {
      const all: Record<string, string> = { ...headers };
      if (client.cookies.size) all.cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const body = raw ?? (json === undefined ? undefined : JSON.stringify(json));
      if (body !== undefined) all['content-type'] ??= 'application/json';
      const res = await fetch(new URL(path, base), { method, headers: all, body, redirect: 'manual' });
      client.lastSetCookie = res.headers.getSetCookie();
      for (const line of client.lastSetCookie) {
        const [pair] = line.split(';');
        const at = pair!.indexOf('=');
        const [name, value] = [pair!.slice(0, at).trim(), pair!.slice(at + 1).trim()];
        if (value === '' || /max-age=0\b/i.test(line)) client.cookies.delete(name);
        else client.cookies.set(name, value);
      }
      const text = await res.text();
      const type = res.headers.get('content-type');
      return { status: res.status, type, body: text && type?.includes('json') ? JSON.parse(text) : text || null, headers: res.headers };
    },
    async signIn(id, password) {
      const reply = await client.send('POST', '/v1/session', { json: { id, password } });
      if (reply.status === 200) client.csrfToken = reply.body.csrfToken;
      return reply;
    },
    withCsrf(headers = {}) {
      return { 'x-csrf-token': client.csrfToken ?? '', ...headers };
    },
  };
  return client;
}
