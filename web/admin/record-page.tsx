// One callback record's page (/admin/records/:id): its fields, the actions its status allows,
// the change form and its history as a timeline. admin-record.js fills it from /v1/callbacks/:id
// and hides what the record's status does not allow, saying why.
type Say = (key: string, values?: Record<string, string | number>) => string;

export function RecordPage({ t }: { t: Say }) {
  return (
    <>
      <link rel="stylesheet" href="/callback/assets/admin-records.css" />
      <p>
        <a href="/admin" id="back-to-search">
          {t('record.back')}
        </a>
      </p>
      <p id="record-gone" class="refusal" hidden>
        {t('record.gone')}
      </p>
      <div id="record" hidden>
        <h2 id="record-heading"></h2>
        <p>
          <a id="temporal-link" hidden>
            {t('record.temporal')}
          </a>
        </p>
        <div class="record-columns">
          <section aria-labelledby="fields-heading">
            <h3 id="fields-heading">{t('record.fields')}</h3>
            <dl id="record-fields" class="fields"></dl>
          </section>

          <section aria-labelledby="actions-heading" class="admin-only">
            <h3 id="actions-heading">{t('record.actions')}</h3>
            <ul class="record-actions">
              <li>
                <button type="button" id="action-pause" aria-describedby="why-pause">
                  {t('action.pause')}
                </button>
                <span id="why-pause" class="muted"></span>
              </li>
              <li>
                <button type="button" id="action-enable" aria-describedby="why-enable">
                  {t('action.enable')}
                </button>
                <span id="why-enable" class="muted"></span>
              </li>
              <li>
                <button type="button" id="action-copy">
                  {t('action.copy')}
                </button>
                <span id="copy-result"></span>
              </li>
              <li>
                <button type="button" id="action-delete" class="danger" aria-describedby="why-delete">
                  {t('action.delete')}
                </button>
                <span id="why-delete" class="muted"></span>
              </li>
            </ul>

            <form id="close-form" class="panel" novalidate>
              <label for="close-comment">{t('action.closeComment')}</label>
              <textarea id="close-comment" name="comment" maxlength={2000} rows={2}></textarea>
              <div class="actions">
                <button type="submit" id="action-close" class="danger" aria-describedby="why-close">
                  {t('action.close')}
                </button>
                <span id="why-close" class="muted"></span>
              </div>
            </form>

            <form id="change-form" class="grid panel" novalidate aria-labelledby="change-heading">
              <h4 id="change-heading">{t('action.change')}</h4>
              <p id="why-change" class="muted"></p>
              <label for="change-phone">{t('field.phone')}</label>
              <input id="change-phone" name="phone" type="tel" autocomplete="off" maxlength={32} />
              <label for="change-priority">{t('field.priority')}</label>
              <select id="change-priority" name="priority">
                {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((p) => (
                  <option value={p}>{p}</option>
                ))}
              </select>
              <label for="change-queue">{t('field.queue')}</label>
              <input id="change-queue" name="queue" list="change-queues" autocomplete="off" />
              <datalist id="change-queues"></datalist>
              <label for="change-requestedAt">{t('field.requestedAt')}</label>
              <input id="change-requestedAt" name="requestedAt" type="datetime-local" />
              <span></span>
              <label class="check">
                <input id="change-asap" type="checkbox" /> {t('action.asap')}
              </label>
              <label for="change-validUntil">{t('field.validUntil')}</label>
              <input id="change-validUntil" name="validUntil" type="datetime-local" />
              <span></span>
              <label class="check">
                <input id="change-noEnd" type="checkbox" /> {t('action.noEnd')}
              </label>
              <label for="change-comment">{t('field.comment')}</label>
              <textarea id="change-comment" name="comment" maxlength={2000} rows={3}></textarea>
              <div class="actions">
                <button type="submit" id="action-change">
                  {t('action.save')}
                </button>
              </div>
            </form>
          </section>
        </div>

        <section aria-labelledby="history-heading">
          <h3 id="history-heading">{t('record.history')}</h3>
          <p class="muted">{t('record.historyIntro')}</p>
          <ol id="record-history" class="timeline"></ol>
        </section>
      </div>
    </>
  );
}
