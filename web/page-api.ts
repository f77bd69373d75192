// /callback/api: what the customer's page script calls. No API key: the page is public. Instead,
// the rate limit per client address (web/index.tsx, for the pages too), a proof-of-work challenge
// per request that creates anything (services/web-challenge.ts), and the area's duplicate policy.
// The records are made by the same services as POST /v1/callbacks and the booking API; the
// self-service routes are /v1/self-service's own, reached as the web page's client.
import { randomUUID } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { findQueue } from '../db/configuration.js';
import { findSchedule, takenPlaces } from '../db/schedules.js';
import { localTime } from '../domain/opening-hours.js';
import { queueHoursAt } from '../services/queue-status.js';
import { newRequest } from '../domain/record.js';
import { bookableSlots, localDateAt } from '../domain/schedule.js';
import { localDate } from '../domain/schedule-config.js';
import { admit } from '../services/admission.js';
import { bookSlot } from '../services/bookings.js';
import { queueStatusNow } from '../services/queue-status.js';
import type { ChallengeIssuer } from '../services/web-challenge.js';
import type { ApiDeps } from '../api/deps.js';
import { send } from '../api/idempotency.js';
import { problem } from '../api/problem.js';
import { checkRequestTimes, phoneOrProblem } from '../api/request-checks.js';
import { instant, queryInt, queueName } from '../api/schemas.js';
import { scheduleId } from '../api/schedules.js';
import { publicView, selfServiceRouter } from '../api/self-service.js';
import { bodyLimitFor } from '../api/traffic.js';
import { validate } from '../api/validate.js';
import { timeZone } from '../domain/queue-config.js';
import { LANGUAGES, MESSAGES } from './i18n.js';

/** Who the page's requests are, to the services and the history: the customer, through this page. */
const PAGE_CLIENT = 'web-page';

const challenge = z.strictObject({
  salt: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  bits: z.int().min(0).max(64),
  expires: z.int().min(0),
  signature: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

const customer = {
  phone: z.string().trim().min(3).max(32),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166 country code')
    .describe('Where a number without a country code is read'),
  name: z.string().trim().max(100).optional(),
  message: z.string().trim().max(2000).optional(),
  timeZone: timeZone.optional().describe("The browser's time zone: the agent's desk shows the customer's times in it"),
  language: z.enum(LANGUAGES),
  consent: z.literal(true, { error: 'the customer must agree to the storing of their details' }),
  challenge,
  nonce: z.string().regex(/^\d{1,16}$/),
};

const callbackBody = z.strictObject({ queue: queueName, requestedAt: instant.optional(), ...customer });
const bookingBody = z.strictObject({ slotStart: instant, ...customer });
const availabilityQuery = z.strictObject({ from: localDate.optional(), days: queryInt(1, 14).default(7) });
const scheduleParam = z.object({ id: scheduleId });

/** Refuses a request that comes from another site's page: the page and its script are served from here. */
const sameOrigin: MiddlewareHandler = async (c, next) => {
  const origin = c.req.header('origin');
  if (c.req.method === 'POST' && origin !== undefined && origin !== new URL(c.req.url).origin) {
    throw problem('csrf-refused', `a request from ${origin} may not use this page's API`);
  }
  await next();
};

/** From here on the request acts as the web page's client (the role of a web key), after the rate limit counted its address. */
const asPage: MiddlewareHandler = async (c, next) => {
  c.set('caller', { kind: 'key', keyId: PAGE_CLIENT, name: PAGE_CLIENT, role: 'web' });
  await next();
};

export function pageApiRouter(deps: ApiDeps & { challenges: ChallengeIssuer }) {
  const { sql, tokens, challenges } = deps;

  const contactOf = (body: {
    name?: string;
    message?: string;
    timeZone?: string;
  }): { comment: string | undefined; contactData: Record<string, string> } => ({
    comment: body.message || undefined,
    contactData: { ...(body.name ? { name: body.name } : {}), ...(body.timeZone ? { timeZone: body.timeZone } : {}) },
  });

  const selfServiceLink = (c: Context, token: string) => `${new URL(c.req.url).origin}/callback/manage#token=${token}`;

  return new Hono()
    .use(bodyLimitFor(deps.traffic), sameOrigin)

    .get('/strings/:lang', (c) => {
      const lang = z.enum(LANGUAGES).safeParse(c.req.param('lang'));
      if (!lang.success) throw problem('not-found', 'no such language');
      return c.json(MESSAGES[lang.data], 200, { 'cache-control': 'public, max-age=300' });
    })

    .get('/challenge', async (c) => c.json(await challenges.issue(), 200, { 'cache-control': 'no-store' }))

    .post('/callbacks', validate('json', callbackBody), async (c) => {
      const body = c.req.valid('json');
      const phone = phoneOrProblem(body.phone, body.country, 'phone');
      checkRequestTimes({ requestedAt: body.requestedAt });
      await challenges.redeem(body.challenge, body.nonce);
      if (!body.requestedAt) {
        // A call "now" from a closed queue would come hours later: the customer should choose the time.
        const queue = await findQueue(sql, body.queue);
        const hours = queue && (await queueHoursAt(sql, queue, new Date()));
        if (queue && hours && !hours.openNow) {
          const opensAt = hours.opensAt ? localTime(new Date(hours.opensAt), queue.timeZone) : null;
          throw problem('queue-closed', `queue ${queue.name} is closed now`, { opensAt, timeZone: queue.timeZone });
        }
      }
      const { kind, record } = await admit(
        deps,
        newRequest({
          id: randomUUID(),
          phone,
          queue: body.queue,
          channel: 'web',
          createdBy: PAGE_CLIENT,
          requestedAt: body.requestedAt && new Date(body.requestedAt).toISOString(),
          language: body.language,
          ...contactOf(body),
          createdAt: new Date().toISOString(),
        }),
      );
      // Nothing about the customer's earlier callback: not its time, not its link.
      if (kind === 'duplicate') return c.json({ duplicate: true }, 200);
      const token = await tokens.sign(record.id, record.validUntil);
      const status = record.requestedAt ? null : await queueStatusNow(deps, record.queue);
      return c.json(
        {
          ...publicView(record),
          duplicate: false,
          expectedWaitSeconds: status?.expectedWaitSeconds ?? null,
          selfServiceToken: token,
          selfServiceUrl: selfServiceLink(c, token),
        },
        201,
      );
    })

    .get('/schedules/:id/availability', validate('param', scheduleParam), validate('query', availabilityQuery), async (c) => {
      const schedule = await findSchedule(sql, c.req.valid('param').id);
      if (!schedule) throw problem('not-found', 'no schedule with this id');
      const { from: given, days } = c.req.valid('query');
      const now = new Date();
      const from = given ?? localDateAt(now, schedule.timeZone);
      const slots = schedule.active ? bookableSlots(schedule, from, days, now) : [];
      const taken = slots.length ? await takenPlaces(sql, schedule.id, slots[0]!.start, slots.at(-1)!.end) : new Map<number, number>();
      return c.json({
        scheduleId: schedule.id,
        timeZone: schedule.timeZone,
        active: schedule.active,
        from,
        days,
        slots: slots.map((s) => ({
          start: s.start,
          end: s.end,
          minutes: s.minutes,
          free: Math.max(0, schedule.capacity - (taken.get(Date.parse(s.start)) ?? 0)),
        })),
      });
    })

    .post('/schedules/:id/bookings', validate('param', scheduleParam), validate('json', bookingBody), async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const phone = phoneOrProblem(body.phone, body.country, 'phone');
      await challenges.redeem(body.challenge, body.nonce);
      const { comment, contactData } = contactOf(body);
      const response = await bookSlot(
        deps,
        id,
        {
          slotStart: body.slotStart,
          phone,
          ani: null,
          customerId: null,
          channel: 'web',
          createdBy: PAGE_CLIENT,
          comment: comment ?? null,
          language: body.language,
          contactData,
        },
        {
          async booked({ record, booking }) {
            const token = await tokens.sign(record.id, record.validUntil);
            return c.json(
              { ...publicView(record), booking, duplicate: false, selfServiceToken: token, selfServiceUrl: selfServiceLink(c, token) },
              201,
            );
          },
          // As for a callback: the customer learns that the number has one, and nothing of it.
          refused: () => c.json({ duplicate: true }, 200),
        },
      );
      return send(c, response);
    })

    .use('/self-service/*', asPage)
    .route('/self-service', selfServiceRouter(deps));
}
