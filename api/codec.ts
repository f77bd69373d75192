// The codec endpoint of the Temporal Web UI and CLI ("codec server"): the UI sends the encrypted
// payloads it shows to POST <endpoint>/decode and gets them back readable; /encode does the
// reverse (a signal sent from the UI). Payloads are protobuf JSON: metadata values and data in
// base64. Only administrators read customers' data this way: their API key in the Authorization
// (or X-API-Key) header, or, for a Web UI that cannot send a header of ours, in the path
// (`/codec/<key>/decode`). Outside /v1: not part of the service's API or its OpenAPI document.
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { identify, keysIn, requireCaller } from './access.js';
import type { ApiDeps } from './deps.js';
import { problem, problemResponse } from './problem.js';
import { rateLimitFor } from './traffic.js';
import { validate } from './validate.js';

export interface CodecEndpoint {
  codec: PayloadCodec;
  /** Origins of the Web UIs that may call it from a browser. */
  corsOrigins: string[];
}

/** A history's page of payloads can be large; far more than the API's ordinary body limit. */
const CODEC_BODY_LIMIT_BYTES = 8 * 1024 * 1024;
const MAX_PAYLOADS = 10_000;

const base64 = z.base64();
const payloads = z.strictObject({
  payloads: z
    .array(
      z.object({
        metadata: z.record(z.string().max(200), base64).optional(),
        data: base64.optional(),
      }),
    )
    .max(MAX_PAYLOADS),
});
type JsonPayloads = z.infer<typeof payloads>;

const fromJson = ({ payloads: list }: JsonPayloads): Payload[] =>
  list.map(({ metadata, data }) => ({
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(data ?? '', 'base64'),
  }));

const toJson = (list: Payload[]): JsonPayloads => ({
  payloads: list.map(({ metadata, data }) => ({
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
    data: Buffer.from(data ?? []).toString('base64'),
  })),
});

export function codecRouter(deps: Pick<ApiDeps, 'sql' | 'authenticate' | 'traffic' | 'people'>, { codec, corsOrigins }: CodecEndpoint) {
  const app = new Hono();
  const adminOnly: MiddlewareHandler = async (c, next) => {
    const { role } = c.get('caller');
    if (role !== 'admin') throw problem('forbidden', 'only an admin key may read what Temporal stores', { role, allowedRoles: ['admin'] });
    await next();
  };
  const limit = bodyLimit({
    maxSize: CODEC_BODY_LIMIT_BYTES,
    onError: (c) => {
      c.header('connection', 'close');
      return problemResponse(c, problem('payload-too-large', `request body over ${CODEC_BODY_LIMIT_BYTES} bytes`).problem);
    },
  });
  app.use(
    '*',
    cors({
      origin: (origin) => (corsOrigins.includes(origin) ? origin : null),
      allowMethods: ['POST'],
      // The Web UI names the namespace; with "pass access token" on it sends Authorization too.
      allowHeaders: ['content-type', 'x-namespace', 'authorization', 'x-api-key'],
      credentials: true,
      maxAge: 600,
    }),
  );
  const authenticate = deps.authenticate ?? keysIn(deps.sql);
  // `/codec/<key>/decode`: the key in the path stands in for the header a Web UI cannot send.
  const keyInPath: MiddlewareHandler = async (c, next) => {
    const key = c.req.param('key');
    if (key && !c.get('caller')) {
      const caller = await authenticate(key);
      if (caller) c.set('caller', caller);
    }
    await next();
  };
  app.use('*', identify({ sql: deps.sql, authenticate, traffic: deps.traffic, people: deps.people }), rateLimitFor(deps.traffic));
  app.use('/:key/:work', keyInPath);
  app.use('*', requireCaller, adminOnly, limit);

  const answer =
    (work: 'encode' | 'decode'): MiddlewareHandler =>
    async (c) => {
      const body = (await c.req.json()) as JsonPayloads;
      try {
        return c.json(toJson(await codec[work](fromJson(body))));
      } catch (err) {
        if (work === 'encode') throw err;
        throw problem('undecodable-payload', (err as Error).message || 'a payload could not be decrypted');
      }
    };
  for (const path of ['/encode', '/:key/encode']) app.post(path, validate('json', payloads), answer('encode'));
  for (const path of ['/decode', '/:key/decode']) app.post(path, validate('json', payloads), answer('decode'));
  return app;
}
