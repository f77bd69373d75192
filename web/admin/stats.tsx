// /admin/stats: statistics per queue and day for a chosen period and queues, as a table per queue
// with the period's totals, charts drawn as SVG by the script (assets/admin-stats.js), and the
// table as CSV. The figures come from GET /v1/stats.
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { chooseLanguage } from '../i18n.js';
import { renderAdmin } from './layout.js';
import { COMMON, say } from './messages.js';
import { STATS } from './stats.messages.js';

export function statsScreen(deps: ApiDeps) {
  const sso = deps.signOn !== undefined;
  return new Hono().get('/stats', (c) =>
    renderAdmin(
      c,
      {
        screen: '/admin/stats',
        title: say(chooseLanguage(c), [COMMON], 'nav.stats'),
        scripts: ['admin-stats.js'],
        messages: [STATS],
      },
      (t) => (
        <>
          <link rel="stylesheet" href="/callback/assets/admin-stats.css" />
          <p class="muted">{t('stats.intro')}</p>
          <form id="stats-form" class="toolbar" aria-label={t('stats.period')} novalidate>
            <div class="stats-field">
              <label for="stats-from">{t('stats.from')}</label>
              <input id="stats-from" name="from" type="date" required />
            </div>
            <div class="stats-field">
              <label for="stats-to">{t('stats.to')}</label>
              <input id="stats-to" name="to" type="date" required />
            </div>
            <div class="stats-field">
              <label for="stats-queues">{t('stats.queues')}</label>
              <select id="stats-queues" name="queue" multiple size={5} aria-describedby="stats-queues-hint"></select>
            </div>
            <div class="actions">
              <button type="submit">{t('stats.show')}</button>
              <a id="stats-csv" href="/v1/stats" download hidden>
                {t('stats.csv')}
              </a>
            </div>
          </form>
          <p id="stats-queues-hint" class="muted">
            {t('stats.queuesHint')}
          </p>
          <div id="stats-report"></div>
        </>
      ),
      sso,
    ),
  );
}
