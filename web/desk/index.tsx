// The agent's desk under /agent: one server-rendered page (desk-page.tsx) and its script, which
// works against the API (/v1) with the session cookie; no API of its own.
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { chooseLanguage } from '../i18n.js';
import { withLanguage } from '../layout.js';
import { pageHeaders } from '../security.js';
import { DeskPage } from './desk-page.js';

export function deskRouter(deps: ApiDeps) {
  return new Hono()
    .use((c, next) => pageHeaders(deps.traffic.corsOrigins ?? [])(c, next))
    .get('/', (c) => {
      const lang = chooseLanguage(c);
      const page = (
        <DeskPage lang={lang} switchHref={withLanguage(c.req.url, lang === 'sv' ? 'en' : 'sv')} singleSignOn={deps.signOn !== undefined} />
      );
      // The desk shows the agent's customers: never kept by a cache.
      c.header('cache-control', 'no-store');
      return c.html(`<!doctype html>${page}`);
    });
}
