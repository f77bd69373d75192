// The web pages, served by the API process under /callback: the customer's callback page, their
// self-service page, the embed script, the local assets, and the JSON API the page script calls.
// Pages are Hono JSX rendered on the server; a little client script, no build step.
import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Hono } from 'hono';
import { z } from 'zod';
import { findQueue } from '../db/configuration.js';
import { localTime } from '../domain/opening-hours.js';
import { queueStatusNow } from '../services/queue-status.js';
import { challengeIssuer } from '../services/web-challenge.js';
import type { ApiDeps } from '../api/deps.js';
import { queueName } from '../api/schemas.js';
import { scheduleId } from '../api/schedules.js';
import { rateLimitFor } from '../api/traffic.js';
import { CustomerPage } from './customer-page.js';
import { chooseLanguage } from './i18n.js';
import { withLanguage } from './layout.js';
import { ManagePage } from './manage-page.js';
import { pageApiRouter } from './page-api.js';
import { pageHeaders } from './security.js';

/** Leading zero bits of the page's proof of work unless configured (WEB_CHALLENGE_BITS). */
export const DEFAULT_CHALLENGE_BITS = 16;

/** The assets' content types, by extension: every file in web/assets is served under /callback/assets. */
const ASSET_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};
const assetType = (name: string) => ASSET_TYPES[extname(name)];

const pageQuery = z.object({
  queue: queueName.optional(),
  schedule: scheduleId.optional(),
});

export function webRouter(deps: ApiDeps) {
  const assetsDir = new URL('./assets/', import.meta.url);
  const assets = new Map(
    readdirSync(assetsDir)
      .filter((name) => assetType(name))
      .map((name) => [name, readFileSync(new URL(name, assetsDir))]),
  );
  const challenges = challengeIssuer(deps.sql, deps.webChallengeBits ?? DEFAULT_CHALLENGE_BITS);
  const asset = (name: string, cache: string) => {
    const body = assets.get(name);
    return body && new Response(new Uint8Array(body), { headers: { 'content-type': assetType(name)!, 'cache-control': cache } });
  };

  return (
    new Hono()
      // Read per request: router tests build the app without traffic rules.
      .use((c, next) => pageHeaders(deps.traffic.corsOrigins ?? [])(c, next))
      // Counted by address: the pages have no keys. A page's first load is about eight requests.
      .use(rateLimitFor(deps.traffic))

      .get('/', async (c) => {
        const lang = chooseLanguage(c);
        const query = pageQuery.safeParse(c.req.query());
        const queue = query.success && query.data.queue ? await findQueue(deps.sql, query.data.queue) : null;
        const now = new Date();
        const status = queue && (await queueStatusNow(deps, queue.name, now));
        const page = (
          <CustomerPage
            lang={lang}
            switchHref={withLanguage(c.req.url, lang === 'sv' ? 'en' : 'sv')}
            status={status}
            opensAt={status?.opensAt ? localTime(new Date(status.opensAt), status.timeZone) : null}
            scheduleId={(query.success && query.data.schedule) || null}
            defaultCountry={deps.defaultCountry}
          />
        );
        return c.html(`<!doctype html>${page}`, status ? 200 : 404);
      })

      .get('/manage', (c) => {
        const lang = chooseLanguage(c);
        const page = <ManagePage lang={lang} switchHref={withLanguage(c.req.url, lang === 'sv' ? 'en' : 'sv')} />;
        return c.html(`<!doctype html>${page}`);
      })

      // One script tag on a company's page: <script src=".../callback/embed.js" data-queue="support"></script>
      .get('/embed.js', (c) => asset('embed.js', 'public, max-age=300') ?? c.notFound())

      .get('/assets/:file', (c) => asset(c.req.param('file'), 'public, max-age=300') ?? c.notFound())

      .route('/api', pageApiRouter({ ...deps, challenges }))
  );
}
