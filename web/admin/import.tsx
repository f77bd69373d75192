// The Import screen (/admin/import): choose what a CSV file holds and the file, check it (a dry
// run that lists every bad row), import it after a confirmation, download the report; past
// imports below. The script (assets/admin-import.js) reads the file in the browser and sends it to
// POST /v1/imports as text/csv; the columns shown come from the rules the API reads rows with.
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { columnsOf } from '../../api/import-rows.js';
import { IMPORT_KINDS } from '../../db/imports.js';
import { chooseLanguage } from '../i18n.js';
import { IMPORT } from './import.messages.js';
import { renderAdmin } from './layout.js';
import { COMMON, say } from './messages.js';

export function importScreen(deps: ApiDeps) {
  const sso = deps.signOn !== undefined;
  return new Hono().get('/import', (c) =>
    renderAdmin(
      c,
      { screen: '/admin/import', title: say(chooseLanguage(c), [COMMON], 'nav.import'), scripts: ['admin-import.js'], messages: [IMPORT] },
      (t) => (
        <>
          <p>{t('import.intro')}</p>
          <section aria-labelledby="import-form-heading" class="panel">
            <h2 id="import-form-heading">{t('form.heading')}</h2>
            <form id="import-form" class="grid" novalidate>
              <label for="import-kind">{t('form.kind')}</label>
              <select id="import-kind" name="kind">
                {IMPORT_KINDS.map((kind) => (
                  <option value={kind}>{t(`kind.${kind}`)}</option>
                ))}
              </select>
              <label for="import-file">{t('form.file')}</label>
              <input id="import-file" name="file" type="file" accept=".csv,text/csv" required />
              <div class="actions">
                <button type="button" id="import-check">
                  {t('form.check')}
                </button>
                <button type="button" id="import-run" class="danger">
                  {t('form.import')}
                </button>
              </div>
            </form>
          </section>
          <section id="import-result" aria-labelledby="import-result-heading" hidden>
            <h2 id="import-result-heading" tabindex={-1}>
              {t('result.heading')}
            </h2>
            <p id="import-summary"></p>
            <p id="import-again" hidden></p>
            <p>
              <a id="import-report" href="#" download hidden>
                {t('result.report')}
              </a>
            </p>
            <div id="import-rows"></div>
          </section>
          <section aria-labelledby="import-list-heading">
            <h2 id="import-list-heading">{t('list.heading')}</h2>
            <div id="import-list"></div>
          </section>
          <details>
            <summary>{t('columns.heading')}</summary>
            <table>
              <caption>{t('columns.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('columns.kind')}</th>
                  <th scope="col">{t('columns.columns')}</th>
                  <th scope="col">{t('columns.required')}</th>
                  <th scope="col">{t('columns.ignored')}</th>
                </tr>
              </thead>
              <tbody>
                {IMPORT_KINDS.map((kind) => {
                  const { columns, required, ignored, contactData } = columnsOf(kind);
                  return (
                    <tr>
                      <th scope="row">{t(`kind.${kind}`)}</th>
                      <td>
                        <code>{columns.join(', ')}</code>
                        {contactData ? ` ${t('columns.contactData')}` : ''}
                      </td>
                      <td>
                        <code>{required.join(', ')}</code>
                      </td>
                      <td>{ignored.length ? <code>{ignored.join(', ')}</code> : t('form.none')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <p class="muted">{t('columns.notes')}</p>
          </details>
        </>
      ),
      sso,
    ),
  );
}
