// The callback records screens: the search (/admin), with its bulk actions and CSV export, and
// one record's page (/admin/records/:id, record-page.tsx). The server renders the form and the
// landmarks; admin-records.js reads the criteria from the query string (so a search can be
// bookmarked and the back button works), asks /v1 and renders what it answers.
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from '../../api/deps.js';
import { BULK_MAX } from '../../api/record-admin.js';
import { RECORD_SORTS } from '../../db/records.js';
import { CHANNELS, CLOSE_REASONS, OUTCOMES, STAGES, STATUSES } from '../../domain/record.js';
import { callbackWorkflowId } from '../../workflows/callback-contract.js';
import { chooseLanguage } from '../i18n.js';
import { renderAdmin } from './layout.js';
import { COMMON, say } from './messages.js';
import { RECORDS } from './records.messages.js';
import { RecordPage } from './record-page.js';

type Say = (key: string, values?: Record<string, string | number>) => string;

function Choice({ id, label, values, t }: { id: string; label: string; values: readonly string[]; t: Say }) {
  return (
    <>
      <label for={`search-${id}`}>{label}</label>
      <select id={`search-${id}`} name={id}>
        <option value="">{t('search.any')}</option>
        {values.map((v) => (
          <option value={v}>{v}</option>
        ))}
      </select>
    </>
  );
}

function Text({ id, label, type = 'text', list }: { id: string; label: string; type?: string; list?: string }) {
  return (
    <>
      <label for={`search-${id}`}>{label}</label>
      <input id={`search-${id}`} name={id} type={type} list={list} autocomplete="off" />
    </>
  );
}

function SearchScreen({ t }: { t: Say }) {
  return (
    <>
      <link rel="stylesheet" href="/callback/assets/admin-records.css" />
      <section aria-labelledby="search-heading">
        <h2 id="search-heading">{t('search.heading')}</h2>
        <form id="search-form" class="search-form" role="search" aria-label={t('search.label')} novalidate>
          <div class="criteria">
            <Text id="phone" label={t('search.phone')} type="search" />
            <Text id="queue" label={t('search.queue')} list="queue-names" />
            <Text id="orgArea" label={t('search.orgArea')} list="area-ids" />
            <Choice id="status" label={t('search.status')} values={STATUSES} t={t} />
            <label for="search-sort">{t('search.sort')}</label>
            <select id="search-sort" name="sort">
              {RECORD_SORTS.map((s) => (
                <option value={s}>{t(`sort.${s}`)}</option>
              ))}
            </select>
          </div>
          <details id="more-criteria">
            <summary>{t('search.more')}</summary>
            <div class="criteria">
              <Choice id="stage" label={t('search.stage')} values={STAGES} t={t} />
              <Choice id="channel" label={t('search.channel')} values={CHANNELS} t={t} />
              <Text id="taskType" label={t('search.taskType')} />
              <Text id="customerId" label={t('search.customerId')} />
              <Choice id="closeReason" label={t('search.closeReason')} values={CLOSE_REASONS} t={t} />
              <Choice id="latestOutcome" label={t('search.latestOutcome')} values={OUTCOMES} t={t} />
              <Text id="latestAgent" label={t('search.latestAgent')} />
              <Text id="waitingListOf" label={t('search.waitingListOf')} />
              <Text id="createdFrom" label={t('search.createdFrom')} type="datetime-local" />
              <Text id="createdTo" label={t('search.createdTo')} type="datetime-local" />
              <Text id="dueFrom" label={t('search.dueFrom')} type="datetime-local" />
              <Text id="dueTo" label={t('search.dueTo')} type="datetime-local" />
              <label for="search-limit">{t('search.limit')}</label>
              <select id="search-limit" name="limit">
                {['25', '50', '100', '200'].map((n) => (
                  <option value={n} selected={n === '50'}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
            <p class="muted">{t('search.times')}</p>
          </details>
          <datalist id="queue-names"></datalist>
          <datalist id="area-ids"></datalist>
          <div class="actions">
            <button type="submit">{t('search.submit')}</button>
            <button type="button" id="search-clear">
              {t('search.clear')}
            </button>
          </div>
        </form>
      </section>

      <section aria-labelledby="results-heading">
        <h2 id="results-heading">{t('results.heading')}</h2>
        <p id="results-summary"></p>
        <div class="actions">
          <a id="export-link" href="/v1/callbacks/export.csv" download>
            {t('results.export')}
          </a>
          <button type="button" id="bulk-open" class="admin-only" aria-controls="bulk" aria-expanded="false">
            {t('results.bulk')}
          </button>
        </div>
        <div id="results"></div>
        <button type="button" id="more" hidden>
          {t('table.more')}
        </button>
      </section>

      <section id="bulk" class="panel admin-only" aria-labelledby="bulk-heading" hidden>
        <h2 id="bulk-heading">{t('bulk.heading')}</h2>
        <p>{t('bulk.intro', { max: BULK_MAX })}</p>
        <p id="bulk-needs-criteria" class="refusal" hidden>
          {t('bulk.needsCriteria')}
        </p>
        <form id="bulk-form" class="grid" novalidate>
          <label for="bulk-action">{t('bulk.action')}</label>
          <select id="bulk-action" name="action">
            <option value="pause">{t('bulk.pause')}</option>
            <option value="enable">{t('bulk.enable')}</option>
            <option value="close">{t('bulk.close')}</option>
            <option value="change-queue">{t('bulk.changeQueue')}</option>
            <option value="change-priority">{t('bulk.changePriority')}</option>
            <option value="delete">{t('bulk.delete')}</option>
          </select>
          <label for="bulk-queue" class="for-change-queue" hidden>
            {t('bulk.queue')}
          </label>
          <input id="bulk-queue" class="for-change-queue" list="queue-names" autocomplete="off" hidden />
          <label for="bulk-priority" class="for-change-priority" hidden>
            {t('bulk.priority')}
          </label>
          <input id="bulk-priority" class="for-change-priority" type="number" min="1" max="9" step="1" hidden />
          <label for="bulk-comment" class="for-close" hidden>
            {t('bulk.comment')}
          </label>
          <textarea id="bulk-comment" class="for-close" maxlength={2000} rows={2} hidden></textarea>
          <div class="actions">
            <button type="submit">{t('bulk.preview')}</button>
          </div>
        </form>
        <div id="bulk-preview" hidden>
          <p id="bulk-count"></p>
          <button type="button" id="bulk-go" class="danger"></button>
        </div>
        <div id="bulk-result"></div>
      </section>
    </>
  );
}

const idParam = z.object({ id: z.uuid() });

export function recordScreens(deps: ApiDeps) {
  const sso = deps.signOn !== undefined;
  return new Hono()
    .get('/', (c) =>
      renderAdmin(
        c,
        {
          screen: '/admin',
          title: say(chooseLanguage(c), [COMMON], 'nav.records'),
          scripts: ['admin-records.js'],
          messages: [RECORDS],
          data: { 'max-bulk': String(BULK_MAX) },
        },
        (t) => <SearchScreen t={t} />,
        sso,
      ),
    )
    .get('/records/:id', (c) => {
      const parsed = idParam.safeParse(c.req.param());
      if (!parsed.success) return c.notFound();
      const { id } = parsed.data;
      const ui = deps.temporalUi;
      const data: Record<string, string> = { 'record-id': id };
      if (ui) {
        data['temporal-url'] =
          `${ui.url.replace(/\/$/, '')}/namespaces/${encodeURIComponent(ui.namespace)}/workflows/${encodeURIComponent(callbackWorkflowId(id))}`;
      }
      return renderAdmin(
        c,
        {
          screen: '/admin',
          title: say(chooseLanguage(c), [RECORDS], 'record.title'),
          scripts: ['admin-record.js'],
          messages: [RECORDS],
          data,
        },
        (t) => <RecordPage t={t} />,
        sso,
      );
    });
}
