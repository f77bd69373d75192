// /admin/audit: the audit log (who changed, searched or exported what), searched by actor, action,
// record and period, newest first, a page at a time.
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { directoryPage } from './directory-page.js';
import { defineMessages } from './messages.js';

const AUDIT_MESSAGES = defineMessages({
  en: {
    'a.search': 'Search the log',
    'a.actor': 'Actor (key name, person:id, or either part of key/person)',
    'a.action': 'Action (e.g. change, search, api-key-revoke)',
    'a.record': "Record's id",
    'a.from': 'From (your time zone)',
    'a.to': 'Until (your time zone)',
    'a.limit': 'Entries a page',
    'a.submit': 'Search',
    'a.clear': 'Clear',
    'a.found': 'Entries shown: {count}',
    'a.caption': 'Audit log entries, newest first',
    'a.more': 'Show more',
    'col.at': 'When',
    'col.actor': 'Actor',
    'col.action': 'Action',
    'col.record': 'Record',
    'col.result': 'Result',
    'col.detail': 'Detail',
    'col.filter': 'Search criteria',
  },
  sv: {
    'a.search': 'Sök i loggen',
    'a.actor': 'Aktör (nyckelns namn, person:id, eller endera delen av nyckel/person)',
    'a.action': 'Åtgärd (t.ex. change, search, api-key-revoke)',
    'a.record': 'Ärendets id',
    'a.from': 'Från (din tidszon)',
    'a.to': 'Till (din tidszon)',
    'a.limit': 'Poster per sida',
    'a.submit': 'Sök',
    'a.clear': 'Rensa',
    'a.found': 'Visade poster: {count}',
    'a.caption': 'Granskningsloggens poster, nyaste först',
    'a.more': 'Visa fler',
    'col.at': 'När',
    'col.actor': 'Aktör',
    'col.action': 'Åtgärd',
    'col.record': 'Ärende',
    'col.result': 'Resultat',
    'col.detail': 'Detaljer',
    'col.filter': 'Sökvillkor',
  },
});

export function auditScreen(deps: ApiDeps) {
  const sso = deps.signOn !== undefined;
  return new Hono().get('/audit', (c) =>
    directoryPage(
      c,
      '/admin/audit',
      'admin-audit.js',
      AUDIT_MESSAGES,
      (t) => (
        <>
          <search aria-labelledby="a-search-heading">
            <h2 id="a-search-heading">{t('a.search')}</h2>
            <form id="audit-form" class="toolbar" novalidate>
              <label>
                {t('a.actor')}
                <input name="actor" maxlength={100} />
              </label>
              <label>
                {t('a.action')}
                <input name="action" maxlength={100} />
              </label>
              <label>
                {t('a.record')}
                <input name="recordId" maxlength={100} />
              </label>
              <label>
                {t('a.from')}
                <input name="from" type="datetime-local" step="1" />
              </label>
              <label>
                {t('a.to')}
                <input name="to" type="datetime-local" step="1" />
              </label>
              <label>
                {t('a.limit')}
                <select name="limit">
                  {['20', '50', '100', '200'].map((n) => (
                    <option value={n} selected={n === '50'}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit">{t('a.submit')}</button>
              <button type="reset">{t('a.clear')}</button>
            </form>
          </search>
          <p id="audit-count" role="status" class="muted"></p>
          <div id="audit-list"></div>
          <p class="actions">
            <button type="button" id="audit-more" hidden>
              {t('a.more')}
            </button>
          </p>
        </>
      ),
      sso,
    ),
  );
}
